using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Archives.Contracts;
using Archives.Gateway.Tests.Fixtures;
using Json.Schema;

namespace Archives.Gateway.Tests.Certificates;

/// <summary>Signed payloads conform to <c>contracts/schemas/certificate.v1.schema.json</c>, which is strict enough to catch drift.</summary>
public sealed class SchemaTests(CertificateWorld world) : IClassFixture<CertificateWorld>
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFile(FindSchema()));

    private static readonly EvaluationOptions Strict = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static TheoryData<string> Shapes => ["self-at-hall", "agent-online", "official-partner", "probable"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Payload_ConformsToTheSchema(string shape)
    {
        var request = shape switch
        {
            "agent-online" => CertificateWorld.ChenOneChild() with
            {
                Applicant = new CertificateApplicant { Relation = ApplicantRelation.Agent, Name = "陈晓东", PowerOfAttorneyReference = "WT-2026-0042" },
                IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Online, Name = "浙里办" },
                Use = MannerOfUse.Copy,
            },
            "official-partner" => CertificateWorld.WangMarriage() with
            {
                Applicant = new CertificateApplicant { Relation = ApplicantRelation.Official, Name = "赵强", Organisation = "上海市人力资源和社会保障局", LetterReference = "沪人社函〔2026〕12号" },
                IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Partner, Name = "上海市档案馆" },
            },
            "probable" => CertificateWorld.Request("330100", CertificateWorld.HangzhouEducatedYouth, null, "陈建国", new DateOnly(1955, 3, 12)) with { ProbableMatchConfirmed = true },
            _ => CertificateWorld.ChenOneChild(),
        };
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());

        using var response = await CertificateWorld.PostAsync(client, request, CertificateWorld.NewKey());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payload = Payload((string)(await response.ReadJsonAsync())["jws"]!);
        var result = Schema.Value.Evaluate(payload, Strict);
        Assert.True(result.IsValid, string.Join("; ", result.Details?.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")) ?? []));
    }

    [Fact]
    public async Task Schema_RejectsAPayloadWithAnUnknownOrMissingProperty()
    {
        using var client = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var response = await CertificateWorld.PostAsync(client, CertificateWorld.ChenOneChild(), CertificateWorld.NewKey());
        var payload = JsonNode.Parse(Payload((string)(await response.ReadJsonAsync())["jws"]!).GetRawText())!.AsObject();

        var extra = payload.DeepClone().AsObject();
        extra["subject"]!["idNumber"] = CertificateWorld.ChenId;
        var missing = payload.DeepClone().AsObject();
        missing.Remove("verificationCode");

        Assert.False(Schema.Value.Evaluate(JsonSerializer.SerializeToElement(extra), Strict).IsValid);
        Assert.False(Schema.Value.Evaluate(JsonSerializer.SerializeToElement(missing), Strict).IsValid);
    }

    private static JsonElement Payload(string jws)
        => JsonDocument.Parse(Encoding.UTF8.GetString(Jose.Base64Url.Decode(jws.Split('.')[1]))).RootElement.Clone();

    private static string FindSchema()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "contracts", "schemas", "certificate.v1.schema.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("contracts/schemas/certificate.v1.schema.json not found above the test output.");
    }
}
