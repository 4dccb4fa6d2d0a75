using Archives.Contracts;
using Archives.Gateway.Ledger;

namespace Archives.Gateway.Certificates;

/// <summary>A signed certificate: its ledger row, and the certificate it was made from (so answering it parses nothing).</summary>
internal sealed record SignedCertificate(CertificateEntry Entry, Certificate Certificate);
