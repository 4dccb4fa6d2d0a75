using System.Net;
using System.Text.RegularExpressions;
using Archives.Gateway.Certificates;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Archives.Testing;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Tests.Audit;

/// <summary>The outcome codes stored in the audit chain are declared, documented and stable.</summary>
public sealed partial class OutcomeCodeTests
{
    public static TheoryData<Type> Outcomes() =>
    [
        .. typeof(IssueOutcome).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(IssueOutcome))),
        .. typeof(EvidenceAnswer).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(EvidenceAnswer))),
    ];

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void EveryOutcome_HasADeclaredCode_TheOneChainsWrittenBeforeStored(Type outcome)
    {
        var code = CodeOf(outcome);

        Assert.Contains(code, CertificateOutcomeCodes.All);
        // Chains written before the codes were declared stored the kebab-cased type name; they must still read the same.
        Assert.Equal(System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(outcome.Name), code);
    }

    [Fact]
    public void Codes_AreDistinctPerOutcomeKind()
    {
        Assert.Equal(CertificateOutcomeCodes.All.Count, CertificateOutcomeCodes.All.Distinct().Count());
        var issue = typeof(IssueOutcome).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(IssueOutcome))).Select(CodeOf).ToList();
        Assert.Equal(issue.Count, issue.Distinct().Count());
    }

    [Fact]
    public void Codes_AreTheOnesTheGatewayReadmeDocuments()
    {
        Assert.Equal(CertificateOutcomeCodes.All.ToHashSet(), Documented().Values.SelectMany(codes => codes).ToHashSet());
    }

    [Fact]
    public async Task CodesWrittenToTheChain_AreTheDocumentedOnesOfTheirAction()
    {
        await using var world = await OwnCertificateWorld.StartAsync();
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        var key = CertificateWorld.NewKey();
        using var issued = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key);
        using var replayed = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild(), key);
        using var reused = await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild() with { Purpose = "另一用途" }, key);
        using var unknownNode = await CertificateWorld.PostAsync(clerk, CertificateWorld.Request("339999", "HZ-NONE", CertificateWorld.ChenId), CertificateWorld.NewKey());
        using var missing = await CertificateWorld.PostAsync(clerk, CertificateWorld.Request("330100", "HZ-NONE-0001", CertificateWorld.ChenId), CertificateWorld.NewKey());
        var certificate = (await issued.ReadJsonAsync())["certificate"]!;
        using var verified = await world.Gateway.Anonymous.GetAsync($"/verify/{(string)certificate["number"]!}?code={(string)certificate["verificationCode"]!}", Ct);
        Assert.Equal(
            [HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK],
            new[] { issued, replayed, reused, unknownNode, missing, verified }.Select(r => r.StatusCode));

        await using var ledger = world.Gateway.Ledger();
        var written = await ledger.AuditEntries.OrderBy(e => e.Sequence).Select(e => new { e.Action, e.Outcome }).ToListAsync(Ct);

        var documented = Documented();
        Assert.All(written, e => Assert.Contains(e.Outcome!, documented[e.Action]));
        Assert.Equal(
            [
                ("records.read", "found"), ("certificates.issue", "issued"), ("certificates.replay", "issued"), ("certificates.refuse", "key-reused"),
                ("certificates.refuse", "unknown-node"), ("records.read", "not-found"), ("certificates.refuse", "record-not-found"), ("certificates.verify", "valid"),
            ],
            written.Select(e => (e.Action, e.Outcome!)));
    }

    /// <summary>The README's table: each action and the outcome codes documented for it.</summary>
    private static Dictionary<string, HashSet<string>> Documented()
    {
        var readme = File.ReadAllText(Path.Combine(IdentityServerFixture.RepositoryRoot, "src", "Archives.Gateway", "README.md"));
        var table = readme[readme.IndexOf("| action | outcome codes |", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        var documented = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var row in table.Split('\n').Skip(2).Select(row => row.Split('|')))
        {
            var codes = Code().Matches(row[2]).Select(m => m.Groups[1].Value).ToHashSet();
            // `certificates.issue`, `.replay`, `.refuse`: the later names share the first one's prefix.
            var actions = Action().Matches(row[1]).Select(m => m.Groups[1].Value).ToList();
            foreach (var action in actions)
            {
                documented[action.StartsWith('.') ? actions[0][..actions[0].LastIndexOf('.')] + action : action] = codes;
            }
        }

        return documented;
    }

    /// <summary>The code an instance of the outcome carries, made with its primary constructor (defaults for every field).</summary>
    private static string CodeOf(Type outcome)
    {
        var constructor = outcome.GetConstructors().Single();
        var instance = constructor.Invoke([.. constructor.GetParameters().Select(p => p.ParameterType.IsValueType ? Activator.CreateInstance(p.ParameterType) : null)]);
        return instance switch
        {
            IssueOutcome issue => issue.AuditCode,
            EvidenceAnswer answer => answer.AuditCode,
            _ => throw new InvalidOperationException($"{outcome} is not an outcome."),
        };
    }

    [GeneratedRegex("`([a-z-]+)`")]
    private static partial Regex Code();

    [GeneratedRegex("`([a-z]*\\.[a-z]+)`")]
    private static partial Regex Action();
}
