using Archives.Contracts;
using Archives.Gateway.Access;
using Archives.Gateway.Ledger;

namespace Archives.Gateway.Certificates;

/// <summary>Makes and signs the certificate a decision allows, before the write, so the writer's transaction holds no signing.</summary>
internal static class CertificateDraft
{
    /// <summary>A new certificate (a fresh number and verification code each call) and its ledger row.</summary>
    public static SignedCertificate Sign(
        Caller caller, string idempotencyKey, string fingerprint, CertificateRequest request, IssueDecision.Issue decision, DateTimeOffset now, TimeSpan validity)
    {
        var certificate = Build(caller, request, decision, now, validity);
        var payload = CertificateSigner.Serialize(certificate);
        var entry = new CertificateEntry
        {
            Number = certificate.Number,
            ClientId = caller.ClientId,
            IdempotencyKey = idempotencyKey,
            Fingerprint = fingerprint,
            Hall = certificate.Issuer.Channel.Hall?.Value,
            ClerkId = caller.ClerkId,
            NodeId = certificate.HoldingArchive.NodeId,
            VerificationCode = certificate.VerificationCode,
            PayloadJson = payload,
            Jws = CertificateSigner.Sign(payload, decision.SigningKey),
            KeyId = decision.SigningKey.KeyId,
            IssuedAt = certificate.IssuedAt.UtcDateTime,
            ExpiresAt = certificate.ExpiresAt.UtcDateTime,
        };
        return new SignedCertificate(entry, certificate);
    }

    private static Certificate Build(Caller caller, CertificateRequest request, IssueDecision.Issue decision, DateTimeOffset now, TimeSpan validity)
    {
        var (node, record) = (decision.Node, decision.Record);
        var issuedAt = new DateTimeOffset(now.UtcDateTime.Ticks - (now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        var channel = request.IssuedVia with { Hall = request.IssuedVia.Kind == IssuingChannelKind.Hall ? caller.Hall ?? request.IssuedVia.Hall : request.IssuedVia.Hall };
        return new Certificate
        {
            Version = 1,
            Number = CertificateNumbers.NewNumber(decision.Division, issuedAt),
            VerificationCode = CertificateNumbers.NewCode(),
            IssuedAt = issuedAt,
            IssuedAtChina = issuedAt.ToOffset(ChinaTime.Offset),
            ExpiresAt = issuedAt + validity,
            HoldingArchive = new CertificateArchive { NodeId = node.NodeId, NameZh = node.NameZh, NameEn = node.NameEn, DivisionCode = decision.Division },
            Record = new CertificateRecord
            {
                RecordId = record.RecordId,
                Category = record.Category,
                ArchivalReference = record.ArchivalReference,
                Title = record.Title,
                Summary = record.Summary,
                EventDate = record.EventDate,
                Match = record.Match,
                Facts = record.Facts,
            },
            Subject = new CertificateSubject
            {
                Name = record.SubjectName,
                // Masked again whatever the node sent.
                MaskedIdNumber = request.Subject.IdNumber?.Masked ?? (record.MaskedIdNumber is { } masked ? IdNumber.Mask(masked.Trim()) : null),
            },
            Purpose = request.Purpose,
            Use = request.Use,
            Applicant = request.Applicant,
            Issuer = new CertificateIssuer { Channel = channel, ClientId = caller.ClientId, ClerkName = caller.ClerkName },
        };
    }
}
