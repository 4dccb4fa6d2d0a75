using Archives.Gateway.Hosting;

namespace Archives.Gateway.Ledger;

/// <summary>A write the ledger's database did not take is answered 503, whatever endpoint it came from.</summary>
internal sealed class LedgerUnavailableHandler(IProblemDetailsService problems) : UnavailableHandler<LedgerUnavailableException>(problems)
{
    protected override string Title => "Certificate ledger unavailable";

    // Note: not "nothing was written": a connection lost during the commit itself leaves the commit unknown.
    // The same Idempotency-Key makes the retry safe either way: a certificate is issued at most once.
    protected override string Detail
        => "The certificate ledger's database did not take the write (it may be restarting). Retry shortly with the same request and Idempotency-Key.";
}
