using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Archives.Contracts;
using Archives.Gateway.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Archives.Gateway.Certificates;

/// <summary>
/// Public verification, by number and code or by the JWS. Note: a wrong code answers exactly as an
/// unknown number (same status, same body), so the API cannot be used to learn which numbers exist;
/// the verification rate limit bounds guessing.
/// </summary>
internal sealed class CertificateVerifier(IDbContextFactory<LedgerDatabase> ledgers, CertificateSigner signer, TimeProvider time)
{
    private static readonly CertificateVerification Unknown = new() { Status = CertificateStatus.Unknown };

    public async Task<CertificateVerification> ByCodeAsync(string? number, string? code, CancellationToken cancellationToken)
    {
        var normalised = CertificateNumbers.NormaliseCode(code);
        var wanted = number?.Trim().ToUpperInvariant();
        if (normalised is null || !CertificateNumbers.IsWellFormedNumber(wanted))
        {
            return Unknown;
        }

        await using var db = await ledgers.CreateDbContextAsync(cancellationToken);
        var entry = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Number == wanted, cancellationToken);
        return entry is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(entry.VerificationCode), Encoding.ASCII.GetBytes(normalised))
            ? Answer(entry)
            : Unknown;
    }

    public async Task<CertificateVerification> ByJwsAsync(string jws, CancellationToken cancellationToken)
    {
        if (await signer.VerifyAsync(jws.Trim(), cancellationToken) is not { } verified)
        {
            return new CertificateVerification { Status = CertificateStatus.Invalid };
        }

        await using var db = await ledgers.CreateDbContextAsync(cancellationToken);
        var entry = await db.Certificates.AsNoTracking().SingleOrDefaultAsync(c => c.Number == verified.Certificate.Number, cancellationToken);
        // A genuine signature over a payload the ledger does not hold means a leaked key, not a certificate.
        return entry is null ? Unknown
            : entry.Jws != jws.Trim() ? new CertificateVerification { Status = CertificateStatus.Invalid }
            : Answer(entry);
    }

    private CertificateVerification Answer(CertificateEntry entry)
    {
        var certificate = CertificateSigner.Deserialize(entry.PayloadJson);
        var issued = CertificateView.Of(entry, time.GetUtcNow());
        return new CertificateVerification
        {
            Status = issued.Status,
            Revocation = issued.Revocation,
            Certificate = new CertificateSummary
            {
                Number = certificate.Number,
                IssuedAt = certificate.IssuedAt,
                ExpiresAt = certificate.ExpiresAt,
                HoldingArchiveZh = certificate.HoldingArchive.NameZh,
                HoldingArchiveEn = certificate.HoldingArchive.NameEn,
                Category = certificate.Record.Category,
                MaskedSubjectName = MaskName(certificate.Subject.Name),
                MaskedIdNumber = certificate.Subject.MaskedIdNumber,
                KeyId = entry.KeyId,
            },
        };
    }

    /// <summary>陈建国 → 陈*国, 王丽 → 王*, 欧阳明华 → 欧**华.</summary>
    public static string MaskName(string name)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(name.Trim());
        while (enumerator.MoveNext())
        {
            elements.Add((string)enumerator.Current);
        }

        return elements.Count switch
        {
            0 => "",
            1 => "*",
            2 => elements[0] + "*",
            _ => elements[0] + new string('*', elements.Count - 2) + elements[^1],
        };
    }
}
