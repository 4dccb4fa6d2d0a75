using Archives.Gateway.Hosting;
using Archives.Gateway.Ledger;

namespace Archives.Gateway.Audit;

/// <summary>
/// An action the audit log could not register is answered 503 (problem+json, <c>Retry-After</c>), whatever
/// feature it came from. Note: this is what keeps the rule that every read of personal data is registered:
/// the feature registers before it serves, so its answer never leaves.
/// </summary>
internal sealed class AuditUnavailableHandler(IProblemDetailsService problems) : UnavailableHandler<AuditUnavailableException>(problems)
{
    protected override string Title => "Audit log unavailable";

    protected override string Detail
        => "Every use of personal records is registered in the audit log (档案利用登记); it could not be registered now, so nothing is served. Retry shortly.";
}
