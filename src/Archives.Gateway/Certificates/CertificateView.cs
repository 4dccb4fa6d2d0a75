using Archives.Contracts;
using Archives.Gateway.Ledger;

namespace Archives.Gateway.Certificates;

/// <summary>The read side: a ledger row as the API returns it.</summary>
internal static class CertificateView
{
    /// <summary>
    /// The certificate with its status at <paramref name="now"/>. <paramref name="certificate"/>: the certificate the
    /// entry's payload was made from, when at hand (else the payload is parsed).
    /// </summary>
    public static IssuedCertificate Of(CertificateEntry entry, DateTimeOffset now, Certificate? certificate = null) => new()
    {
        Certificate = certificate ?? CertificateSigner.Deserialize(entry.PayloadJson),
        Jws = entry.Jws,
        KeyId = entry.KeyId,
        Status = StatusOf(entry, now),
        Revocation = entry.RevokedAt is { } revokedAt ? new CertificateRevocation { RevokedAt = Utc(revokedAt), Reason = entry.RevocationReason ?? "" } : null,
        PrintCount = entry.PrintCount,
        LastPrintedAt = entry.LastPrintedAt is { } printed ? Utc(printed) : null,
    };

    public static CertificateStatus StatusOf(CertificateEntry entry, DateTimeOffset now)
        => entry.RevokedAt is not null ? CertificateStatus.Revoked
            : Utc(entry.ExpiresAt) <= now ? CertificateStatus.Expired
            : CertificateStatus.Valid;

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc), TimeSpan.Zero);
}
