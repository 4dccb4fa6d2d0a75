using System.Text.Json;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.Hosting;

namespace Archives.Gateway.OpenApi;

/// <summary>
/// Request examples of the document, written as contract objects and serialised with the API's own
/// JSON options, so an example cannot name a field or a value the contract does not accept. The
/// subject is a demo citizen of the local federation (<c>gateway-config/local/demo-citizens.json</c>).
/// </summary>
internal static class Examples
{
    private static readonly Subject DemoSubject = new()
    {
        IdNumber = IdNumber.Parse("330106195503121238", null),
        Name = "陈建国",
        BirthDate = new DateOnly(1955, 3, 12),
    };

    public static readonly FederatedRecordSearchRequest RecordSearch = new()
    {
        Subject = DemoSubject,
        Categories = [RecordCategory.Marriage],
        Regions = [RegionPrefix.Parse("33", null)],
        Purpose = "办理退休手续",
    };

    public static readonly CertificateRequest Issue = new()
    {
        Record = new CertificateRecordReference { NodeId = "330100", RecordId = "HY-1985-000123" },
        Subject = DemoSubject,
        Purpose = "办理退休手续",
        Use = MannerOfUse.Certify,
        Applicant = new CertificateApplicant { Relation = ApplicantRelation.Self },
        IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Online, Name = "浙里办" },
    };

    public static readonly CertificateRevocationRequest Revoke = new() { Reason = "申请人提供的材料有误，依申请撤销" };

    public static readonly CertificateVerificationRequest Verify = new() { Number = "330100-20261125-7K3M9Q", Code = "H7K2M9PQ" };

    public static JsonNode? ToJson<T>(T example, IServiceProvider services) => JsonSerializer.SerializeToNode(example, services.ApiJson());
}
