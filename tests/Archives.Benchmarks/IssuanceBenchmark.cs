using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Archives.Contracts;
using Refit;

namespace Archives.Benchmarks;

/// <summary>
/// <c>issuance</c>: certificates per second on the SQLite ledger, from concurrent clients each sending
/// its own <c>Idempotency-Key</c>, through the SDK's Refit client (<see cref="ICertificatesApi"/>), against
/// a backend answering the evidence at once; the gateway without Redis, then with
/// <c>ConnectionStrings:Redis</c>. Every answer must be 201 with a certificate number not seen before.
/// Options: <c>--certificates N</c> (5000), <c>--clients N</c> (8), <c>--without-redis</c> (the first configuration only),
/// <c>--warmup-seconds S</c> (20: the least warm-up; with 3 s a rate that was steady because everything was slow ended
/// the warm-up while the JIT was still at work, and runs reported 37-106/s at 6-15 ms of gateway CPU per certificate).
/// Each row also states the CPU time per certificate (user + system) of the gateway and of this process (clients and
/// node): on a machine they and the identity server share, it moves far less with other load than the rate.
/// </summary>
internal static class IssuanceBenchmark
{
    private const string Part = "issuance";
    private const string SubjectId = "330106195503121238";

    public static async Task RunAsync(BenchmarkRun run)
    {
        var count = run.Int("--certificates", 5000, 40);
        var clients = run.Int("--clients", 8, 2);
        run.Notes.Add($"issuance: {count} certificates (or as many as {run.MaxPerMeasurement.TotalSeconds:0} s allow) per configuration from {clients} concurrent clients (zheliban, online channel), a fresh Idempotency-Key each, "
            + "through the SDK's Refit client; evidence from the in-process backend; SQLite ledger (WAL) in a temporary folder; per-issuance latency = request to 201.");

        var identity = await run.IdentityAsync();
        var token = await identity.GetTokenAsync("zheliban", "certificates.issue");
        await using var backend = await Backend.StartAsync();
        await using (var gateway = await GatewayProcess.StartAsync(run, [backend.Node]))
        {
            await MeasureAsync(run, "SQLite ledger, no Redis", gateway, token, count, clients);
        }

        if (run.Args.Contains("--without-redis"))
        {
            return;
        }

        await using var redis = await BenchmarkRun.StartRedisAsync();
        await using (var gateway = await GatewayProcess.StartAsync(run, [backend.Node], $"--ConnectionStrings:Redis={redis.ConnectionString}"))
        {
            await MeasureAsync(run, "SQLite ledger, with Redis", gateway, token, count, clients);
        }
    }

    private static async Task MeasureAsync(BenchmarkRun run, string scenario, GatewayProcess gateway, string token, int count, int clients)
    {
        using var http = new HttpClient { BaseAddress = gateway.Address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var api = RestService.For<ICertificatesApi>(http);
        var numbers = new ConcurrentDictionary<string, byte>();
        async Task IssueAsync(int i)
        {
            using var response = await api.IssueAsync(Guid.NewGuid().ToString(), Request(i));
            if (response.StatusCode != HttpStatusCode.Created || response.Content is null)
            {
                throw new InvalidOperationException($"Issuing answered {(int?)response.StatusCode}: {(response.Error as ApiException)?.Content}");
            }

            if (!numbers.TryAdd(response.Content.Certificate.Number, 0))
            {
                throw new InvalidOperationException($"Certificate number {response.Content.Certificate.Number} was issued twice for different keys.");
            }
        }

        // Warm-up until the rate is steady: JIT tiering, the ledger's connection pool, the signing key, the evidence client.
        var warm = await Load.WarmUpAsync(clients, IssueAsync, run.Seconds("--warmup-seconds", 20, 3), TimeSpan.FromSeconds(30));
        BenchmarkRun.Progress(Part, $"{scenario}: warm-up {warm.TotalSeconds:0} s");
        numbers.Clear();
        var (gatewayBefore, ownBefore) = (CpuTime(gateway.Id), CpuTime(Environment.ProcessId));
        var result = await Load.RunAsync(count, clients, IssueAsync, run.MaxPerMeasurement);
        var issued = Math.Max(1, numbers.Count);
        var gatewayCpu = (CpuTime(gateway.Id) - gatewayBefore).TotalMilliseconds / issued;
        var ownCpu = (CpuTime(Environment.ProcessId) - ownBefore).TotalMilliseconds / issued;
        run.Add(result.Row(Part, $"{scenario}, {clients} clients", "cert/s") with
        {
            Result = $"{numbers.Count:N0} distinct certificates, all 201; CPU per certificate: gateway {gatewayCpu:0.00} ms, clients and node (this process) {ownCpu:0.00} ms",
        });
    }

    /// <summary>The CPU time (user + system) the process has used so far; a fresh <see cref="Process"/> each time, as one caches what it read.</summary>
    private static TimeSpan CpuTime(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return process.TotalProcessorTime;
    }

    private static CertificateRequest Request(int i) => new()
    {
        Record = new CertificateRecordReference { NodeId = Backend.NodeId, RecordId = $"HZ-MAR-1985-{i + 100_000:D6}" },
        Subject = new Subject { IdNumber = IdNumber.Parse(SubjectId), Name = "陈建国" },
        Purpose = "办理退休手续",
        Use = MannerOfUse.Certify,
        Applicant = new CertificateApplicant { Relation = ApplicantRelation.Self },
        IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Online, Name = "浙里办" },
    };
}
