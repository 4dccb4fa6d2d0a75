using Archives.Testing;
using Microsoft.Extensions.Options;

namespace Archives.Node.Tests.Auth;

/// <summary>A node that could not check tokens, or would read its keys insecurely, does not start.</summary>
public sealed class NodeAuthOptionsTests(IdentityServerFixture identity)
{
    [Fact]
    public async Task Start_WithoutAuthority_FailsNamingTheKey()
    {
        var error = await StartFailureAsync(authority: null, keysOverHttp: true);

        Assert.Contains("Node:Auth:Authority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RelativeAuthority_FailsNamingTheKey()
    {
        var error = await StartFailureAsync(authority: "identity/", keysOverHttp: true);

        Assert.Contains("Node:Auth:Authority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HttpAuthorityOutsideDevelopment_FailsNamingTheKey()
    {
        var error = await StartFailureAsync(identity.Issuer.AbsoluteUri, keysOverHttp: false);

        Assert.Contains("Node:Auth:Authority", error.Message, StringComparison.Ordinal);
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }

    private static async Task<OptionsValidationException> StartFailureAsync(string? authority, bool keysOverHttp)
    {
        var directory = NodeFixture.NewDataDirectory();
        var settings = new Dictionary<string, string?>
        {
            ["Node:Id"] = "330106",
            ["Node:NameZh"] = "西湖区档案馆",
            ["Node:NameEn"] = "Xihu District Archives",
            ["Node:DataDirectory"] = directory,
            ["Node:CatalogueEntries"] = "100",
            ["Node:PersonalRecords"] = "10",
        };
        if (authority is not null)
        {
            settings["Node:Auth:Authority"] = authority;
        }

        await using var factory = new NodeFactory(settings, new LogCapture(), keysOverHttp);
        try
        {
            return Assert.ThrowsAny<OptionsValidationException>(factory.StartServer);
        }
        finally
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
