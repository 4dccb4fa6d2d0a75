using System.Net.Http.Headers;
using System.Text.Json;
using Archives.Testing;

namespace Archives.ServiceHall.Tests.World;

/// <summary>
/// What the gateway itself recorded, read through its API with the operators' token (<c>ops</c>:
/// <c>audit.read</c>): the certificates issued for a subject (the audit log's <c>certificates.issue</c>
/// entries, which the ledger writes in the same transaction as the certificate) and a certificate's
/// current state (status, print count). A page can say anything; these say what happened.
/// </summary>
public sealed class GatewayLedger(Uri gateway, IdentityServerFixture identity) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The numbers of the certificates issued for the subject with this ID number, newest first.</summary>
    public async Task<IReadOnlyList<string>> IssuedForAsync(string idNumber)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/audit?action=certificates.issue&limit=500");
        // The subject goes in a header, never the query string (which ends up in access logs).
        request.Headers.Add("Archives-Subject-Id-Number", idNumber);
        using var document = await SendAsync(request);
        return document.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("reference").GetString()!)
            .ToList();
    }

    /// <summary>The certificate as the gateway holds it now (<c>GET /api/v1/certificates/{number}</c>).</summary>
    public async Task<IssuedState> CertificateAsync(string number)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/v1/certificates/{Uri.EscapeDataString(number)}");
        using var document = await SendAsync(request);
        var root = document.RootElement;
        return new IssuedState(
            root.GetProperty("certificate").GetProperty("number").GetString()!,
            root.GetProperty("certificate").GetProperty("verificationCode").GetString()!,
            root.GetProperty("status").GetString()!,
            root.GetProperty("printCount").GetInt32(),
            root.TryGetProperty("revocation", out var revocation) && revocation.ValueKind == JsonValueKind.Object
                ? revocation.GetProperty("reason").GetString() : null);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> SendAsync(HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await identity.GetTokenAsync("ops", "audit.read", "certificates.read"));
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The gateway answered {request.RequestUri} with {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body);
    }
}

/// <summary>A certificate's state in the gateway's ledger.</summary>
public sealed record IssuedState(string Number, string VerificationCode, string Status, int PrintCount, string? RevocationReason);
