namespace Archives.Gateway.Ledger;

/// <summary>The audit log could not register an action: whatever needed registering must not be served.</summary>
internal sealed class AuditUnavailableException(string message, Exception? inner) : Exception(message, inner);
