namespace Archives.Gateway.Access;

/// <summary>
/// Endpoint metadata: at a hall, only a supervisor clerk (<see cref="Caller.IsSupervisor"/>) may do this. A clerk's 403 then
/// says a supervisor is needed, whether the token lacked the scope or the role.
/// </summary>
internal sealed class SupervisorRequired
{
    public const string Title = "A supervisor is needed";

    public const string Detail = "Only a hall's supervisor (值班长, archives_role supervisor with the certificates.revoke scope) may do this; ask the supervisor on duty to sign in.";

    public static readonly SupervisorRequired Instance = new();

    private SupervisorRequired()
    {
    }
}
