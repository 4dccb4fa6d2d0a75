using System.Net.Http.Json;
using System.Text.Json;
using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Tests.Fixtures;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>
/// Two archives and their records, after gateway-config/local/demo-citizens.json: 陈建国 (an ID-bearing
/// one-child record and a pre-1985 educated-youth record without an ID number in Hangzhou) and 王丽华
/// (a marriage record in Shanghai, and a school record in Hangzhou still on paper).
/// </summary>
public sealed class CertificateWorld : IAsyncLifetime
{
    public const string ChenId = "330106195503121238";
    public const string WangId = "310104196807212460";
    public const string HangzhouOneChild = "HZ-OC-1986-0001";
    public const string HangzhouEducatedYouth = "HZ-EY-1972-0001";
    public const string HangzhouSchoolOnPaper = "HZ-SCH-1986-0002";
    public const string ShanghaiMarriage = "SH-MAR-1993-0001";

    public EvidenceNode Hangzhou { get; private set; } = null!;

    public EvidenceNode Shanghai { get; private set; } = null!;

    public GatewayHost Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        (Hangzhou, Shanghai) = await StartNodesAsync();
        Gateway = GatewayHost.Start([Hangzhou, Shanghai]);
    }

    public static async Task<(EvidenceNode Hangzhou, EvidenceNode Shanghai)> StartNodesAsync()
    {
        var hangzhou = await EvidenceNode.StartAsync("330100", "杭州市档案馆", "Hangzhou Municipal Archives");
        hangzhou.Add(new HeldRecord(Evidence("330100", HangzhouOneChild, RecordCategory.OneChild, "J045-DS·1986-0012-0003", "1986年独生子女父母光荣证登记",
            "陈建国、张秀英夫妇于1986年6月领取独生子女父母光荣证，子女陈晓东。", new DateOnly(1986, 6, 18), "陈建国", IdNumber.Mask(ChenId), new DateOnly(1955, 3, 12), MatchKind.Exact,
            new() { ["spouseName"] = "张秀英", ["childName"] = "陈晓东" }), ChenId, new DateOnly(1955, 3, 12)));
        hangzhou.Add(new HeldRecord(Evidence("330100", HangzhouEducatedYouth, RecordCategory.EducatedYouth, "J112-ZQ·1972-0301-0044", "1972年知识青年上山下乡登记",
            "陈建国于1972年3月自杭州市上城区赴临安县插队落户。", new DateOnly(1972, 3, 9), "陈建国", null, new DateOnly(1955, 3, 12), MatchKind.Probable,
            new() { ["destination"] = "临安县" }), null, new DateOnly(1955, 3, 12)));
        hangzhou.Add(new HeldRecord(Evidence("330100", HangzhouSchoolOnPaper, RecordCategory.School, "J078-XJ·1986-0007-0101", "1986年高中毕业学籍",
            "王丽华于1986年7月毕业于杭州第十四中学。", new DateOnly(1986, 7, 1), "王丽华", IdNumber.Mask(WangId), new DateOnly(1968, 7, 21), MatchKind.Exact,
            new()), WangId, new DateOnly(1968, 7, 21)) { OnPaper = true });

        var shanghai = await EvidenceNode.StartAsync("310000", "上海市档案馆", "Shanghai Municipal Archives");
        shanghai.Add(new HeldRecord(Evidence("310000", ShanghaiMarriage, RecordCategory.Marriage, "B168-HY·1993-0215-0031", "1993年结婚登记",
            "王丽华与李志强于1993年5月在上海市黄浦区登记结婚。", new DateOnly(1993, 5, 20), "王丽华", IdNumber.Mask(WangId), new DateOnly(1968, 7, 21), MatchKind.Exact,
            new() { ["spouseName"] = "李志强", ["registrationOffice"] = "黄浦区婚姻登记处" }), WangId, new DateOnly(1968, 7, 21)));
        return (hangzhou, shanghai);
    }

    private static RecordEvidence Evidence(string nodeId, string recordId, RecordCategory category, string reference, string title, string summary,
        DateOnly eventDate, string name, string? maskedId, DateOnly birthDate, MatchKind match, Dictionary<string, string> facts) => new()
    {
        RecordId = recordId,
        NodeId = nodeId,
        Category = category,
        ArchivalReference = ArchivalReference.Parse(reference),
        Title = title,
        Summary = summary,
        EventDate = eventDate,
        SubjectName = name,
        MaskedIdNumber = maskedId,
        SubjectBirthDate = birthDate,
        Match = match,
        Facts = facts,
    };

    /// <summary>A request for a certificate of a record, by a Hangzhou hall clerk acting for the subject in person.</summary>
    public static CertificateRequest Request(string nodeId, string recordId, string? idNumber, string? name = null, DateOnly? birthDate = null, string purpose = "办理退休手续") => new()
    {
        Record = new CertificateRecordReference { NodeId = nodeId, RecordId = recordId },
        Subject = new Subject { IdNumber = idNumber is null ? null : IdNumber.Parse(idNumber), Name = name, BirthDate = birthDate },
        Purpose = purpose,
        Use = MannerOfUse.Certify,
        Applicant = new CertificateApplicant { Relation = ApplicantRelation.Self },
        IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Hall, Hall = DivisionCode.Parse("330100"), Name = "杭州市民中心" },
    };

    public static CertificateRequest ChenOneChild() => Request("330100", HangzhouOneChild, ChenId);

    public static CertificateRequest WangMarriage() => Request("310000", ShanghaiMarriage, WangId);

    public static string NewKey() => Guid.NewGuid().ToString();

    /// <summary>POSTs an issuing request as the caller.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, CertificateRequest request, string? key)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "/api/v1/certificates") { Content = JsonContent.Create(request, options: JsonSerializerOptions.Web) };
        if (key is not null)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return await client.SendAsync(message, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Hangzhou.DisposeAsync();
        await Shanghai.DisposeAsync();
    }

    internal static Caller Clerk => Callers.HangzhouClerk();
}
