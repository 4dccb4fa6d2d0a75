using System.Text.RegularExpressions;
using Archives.Gateway.Certificates;
using Archives.Testing;

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
        var readme = File.ReadAllText(Path.Combine(IdentityServerFixture.RepositoryRoot, "src", "Archives.Gateway", "README.md"));
        var table = readme[readme.IndexOf("| action | outcome codes |", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        var documented = table.Split('\n').Skip(2)
            .SelectMany(row => Code().Matches(row.Split('|')[2]).Select(m => m.Groups[1].Value))
            .ToHashSet();

        Assert.Equal(CertificateOutcomeCodes.All.ToHashSet(), documented);
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
}
