using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Archives.Gateway.Tests.Certificates;
using Archives.Gateway.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Archives.Gateway.Tests.Audit;

/// <summary>
/// A run of requests through the real gateway — personal searches, the whole life of a certificate, audit
/// queries, and bad input carrying ID numbers — with a logger that captures every category at Debug; then
/// no captured line (message, state values, exception) may hold an 18- or 15-digit ID number, or a subject's name.
/// </summary>
public sealed partial class NoFullIdNumberTests
{
    private const string InvalidId = "330106195503121239"; // check character wrong
    private const string LegacyId = "330106550312123";

    [Fact]
    public async Task ARunOfRequests_LogsNoFullIdNumberAndNoSubjectName()
    {
        var capture = new LogCapture();
        await using var world = await AuditWorld.StartAsync(
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
                // Note: the request line (with whatever a client put into a URL) is logged by hosting at Information;
                // the shipped configuration keeps Microsoft.AspNetCore at Warning, and so does this run for hosting.
                ["Logging:LogLevel:Microsoft.AspNetCore.Hosting"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Debug",
            },
            services => services.AddSingleton<ILoggerProvider>(capture));
        var zheliban = world.As("zheliban", "records.search");
        using var clerk = world.Gateway.ClientFor(Callers.HangzhouClerk());
        using var ops = world.Gateway.ClientFor(Callers.Operator());

        // Personal searches, by ID number and by name and birth date.
        (await AuditWorld.SearchChenAsync(zheliban)).Dispose();
        (await zheliban.PostAsJsonAsync("/api/v1/records/search", new { subject = new { name = "陈建国", birthDate = "1955-03-12" }, purpose = "办理退休手续" }, Ct)).Dispose();
        (await zheliban.PostAsJsonAsync("/api/v1/records/search", new { subject = new { idNumber = LegacyId }, purpose = "办理退休手续" }, Ct)).Dispose();

        // A certificate's whole life, and another subject's.
        var (issued, _) = await world.CertificateLifeAsync(clerk, ops);
        using var __ = issued;
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.WangMarriage(), CertificateWorld.NewKey())).Dispose();
        (await world.EntriesAsync(subjectIdNumber: CertificateWorld.ChenId)).ToString();

        // Bad input carrying ID numbers.
        (await zheliban.PostAsJsonAsync("/api/v1/records/search", new { subject = new { idNumber = InvalidId }, purpose = "x" }, Ct)).Dispose();
        (await zheliban.PostAsJsonAsync("/api/v1/records/search", new { subject = new { idNumber = CertificateWorld.ChenId, birthDate = "1960-01-01" }, purpose = "x" }, Ct)).Dispose();
        (await zheliban.PostAsJsonAsync("/api/v1/records/search", new { subject = new { name = CertificateWorld.ChenId, birthDate = "1955-03-12" }, purpose = CertificateWorld.WangId }, Ct)).Dispose();
        (await zheliban.PostAsync("/api/v1/records/search", Json($$"""{"subject":{"idNumber":{{CertificateWorld.ChenId}}},"purpose":"x"}"""), Ct)).Dispose();
        (await zheliban.PostAsync("/api/v1/records/search", Json($$"""{"subject":{"idNumber":"{{CertificateWorld.ChenId}}","{{CertificateWorld.WangId}}":1},"purpose":"x"}"""), Ct)).Dispose();
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.ChenOneChild() with { Purpose = "" }, CertificateWorld.ChenId)).Dispose();
        (await CertificateWorld.PostAsync(clerk, CertificateWorld.Request("330100", CertificateWorld.ChenId, CertificateWorld.WangId), CertificateWorld.NewKey())).Dispose();
        using (var malformed = new HttpRequestMessage(HttpMethod.Post, "/api/v1/certificates") { Content = Json($$$"""{"record":{"nodeId":"330100","recordId":"{{{CertificateWorld.HangzhouOneChild}}}"},"subject":{"idNumber":"{{{InvalidId}}}"}}""") })
        {
            malformed.Headers.Add("Idempotency-Key", CertificateWorld.NewKey());
            (await clerk.SendAsync(malformed, Ct)).Dispose();
        }

        (await world.Gateway.Anonymous.PostAsJsonAsync("/api/v1/certificates/verify", new { number = CertificateWorld.ChenId, code = CertificateWorld.WangId }, Ct)).Dispose();
        using (var badHeader = new HttpRequestMessage(HttpMethod.Get, "/api/v1/audit"))
        {
            badHeader.Headers.Add("Archives-Subject-Id-Number", InvalidId);
            (await world.Auditor.SendAsync(badHeader, Ct)).Dispose();
        }

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var lines = capture.Lines;
        Assert.Contains(lines, l => l.Category.StartsWith("Archives.", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        var leaks = lines.Where(l => IdPattern().IsMatch(l.Text) || l.Text.Contains("陈建国", StringComparison.Ordinal) || l.Text.Contains("王丽华", StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "Personal data in the log:\n" + string.Join("\n", leaks.Select(l => $"[{l.Category}] {l.Text}")));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>18 digits (the last may be X) or 15 digits, not part of a longer run of letters or digits (so hex trace ids never match).</summary>
    [GeneratedRegex(@"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")]
    private static partial Regex IdPattern();
}
