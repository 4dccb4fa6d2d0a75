using Archives.Contracts;
using Archives.Gateway.Access;

namespace Archives.Gateway.Tests.Fixtures;

/// <summary>Callers as identity's tokens describe them (gateway-config/clients.json and local/clerks.json).</summary>
internal static class Callers
{
    private static readonly IReadOnlySet<RecordCategory> AllCategories = RecordCategory.All.ToHashSet();

    /// <summary>The clerk at the Hangzhou service hall (hz-clerk, 王芳); service-hall's agreement covers the whole Yangtze River Delta.</summary>
    public static Caller HangzhouClerk(string clerkId = "clerk-hz-01") => new(
        "service-hall", clerkId, "王芳", DivisionCode.Parse("330100"),
        new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        AllCategories, [RegionPrefix.Parse("33"), RegionPrefix.Parse("31"), RegionPrefix.Parse("32"), RegionPrefix.Parse("34")]);

    /// <summary>The clerk at the Ningbo service hall (nb-clerk).</summary>
    public static Caller NingboClerk() => HangzhouClerk("clerk-nb-01") with { Hall = DivisionCode.Parse("330200") };

    /// <summary>The government app.</summary>
    public static Caller Zheliban() => new(
        "zheliban", null, null, null, new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        AllCategories, [RegionPrefix.Parse("31"), RegionPrefix.Parse("32"), RegionPrefix.Parse("33"), RegionPrefix.Parse("34")]);

    /// <summary>A partner archive; its agreement covers Zhejiang's archives (region 33) only.</summary>
    public static Caller Partner(string clientId, params RecordCategory[] categories) => new(
        clientId, null, null, null, new HashSet<string> { GatewayScopes.CertificatesIssue, GatewayScopes.CertificatesRead },
        categories.ToHashSet(), [RegionPrefix.Parse("33")]);

    public static Caller Operator() => new(
        "ops", null, null, null, new HashSet<string> { GatewayScopes.CertificatesRevoke, GatewayScopes.AuditRead },
        new HashSet<RecordCategory>(), []);
}
