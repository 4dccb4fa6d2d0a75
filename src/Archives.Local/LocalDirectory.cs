using System.Text.Json;

namespace Archives.Local;

/// <summary>Reads the dev-only clients and clerks of gateway-config/local, to print them for a newcomer and pass the gateway its secret.</summary>
internal static class LocalDirectory
{
    public static IEnumerable<string> ReadClients(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var client in document.RootElement.GetProperty("clients").EnumerateArray())
        {
            var scopes = string.Join(' ', client.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
            yield return $"{client.GetProperty("clientId").GetString(),-17} secret {client.GetProperty("clientSecret").GetString()}  scopes: {scopes}";
        }
    }

    /// <summary>The dev-only secret of one client.</summary>
    public static string SecretOf(string path, string clientId)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("clients").EnumerateArray()
            .Where(c => c.GetProperty("clientId").GetString() == clientId)
            .Select(c => c.GetProperty("clientSecret").GetString())
            .FirstOrDefault() ?? throw new InvalidDataException($"{path} has no secret for client '{clientId}'.");
    }

    public static IEnumerable<string> ReadClerks(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var clerk in document.RootElement.GetProperty("clerks").EnumerateArray())
        {
            yield return $"{clerk.GetProperty("userName").GetString(),-12} password {clerk.GetProperty("password").GetString()}  hall {clerk.GetProperty("hall").GetString()} {clerk.GetProperty("displayName").GetString()}";
        }
    }
}
