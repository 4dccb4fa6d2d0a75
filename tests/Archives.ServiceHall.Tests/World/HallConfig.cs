using System.Text.Json;
using System.Text.Json.Nodes;
using Archives.Testing;

namespace Archives.ServiceHall.Tests.World;

/// <summary>
/// A temporary copy of the repository's <c>gateway-config</c> in which the <c>service-hall</c> client's
/// redirect URIs name the test hall's address: the identity server accepts only the exact URIs it has
/// registered, and the local federation's are on the fixed port 5200, which a test never uses.
/// </summary>
internal static class HallConfig
{
    public const string ClientId = "service-hall";

    /// <summary>Copies <c>gateway-config</c> (without its npm tools) into <paramref name="target"/> with the halls at <paramref name="halls"/>.</summary>
    public static string Write(string target, params Uri[] halls)
    {
        var source = Path.Combine(IdentityServerFixture.RepositoryRoot, "gateway-config");
        Copy(source, target);

        var clientsFile = Path.Combine(target, "clients.json");
        var document = JsonNode.Parse(File.ReadAllText(clientsFile))!;
        var client = document["clients"]!.AsArray().SingleOrDefault(c => c!["clientId"]!.GetValue<string>() == ClientId)
            ?? throw new InvalidOperationException($"{source}/clients.json has no client '{ClientId}'.");
        client["redirectUris"] = new JsonArray([.. halls.Select(hall => JsonValue.Create(new Uri(hall, "signin-oidc").AbsoluteUri))]);
        client["postLogoutRedirectUris"] = new JsonArray([.. halls.Select(hall => JsonValue.Create(new Uri(hall, "signout-callback-oidc").AbsoluteUri))]);
        File.WriteAllText(clientsFile, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return target;
    }

    private static void Copy(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }

        foreach (var folder in Directory.EnumerateDirectories(source))
        {
            // tools/ holds the registry generator and its node_modules, which no service reads.
            if (Path.GetFileName(folder) is not ("tools" or "node_modules"))
            {
                Copy(folder, Path.Combine(target, Path.GetFileName(folder)));
            }
        }
    }
}
