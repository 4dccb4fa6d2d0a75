namespace Archives.Gateway.Certificates;

/// <summary>What happened to a certificate, for the audit log (档案利用登记).</summary>
internal enum CertificateAction
{
    /// <summary>The record's evidence was read from its holding node, to issue a certificate of it.</summary>
    RecordRead,
    Issued,
    Replayed,
    Refused,
    Read,
    Printed,
    Revoked,
    Verified,
}
