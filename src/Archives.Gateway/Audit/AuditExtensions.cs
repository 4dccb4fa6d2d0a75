using Archives.Gateway.Ledger;
using Microsoft.Extensions.Options;

namespace Archives.Gateway.Audit;

internal static class AuditExtensions
{
    /// <summary>
    /// The audit log (档案利用登记), kept in the ledger's database: the chain every registration is appended to,
    /// the subject keys, and the 503 that answers an action the log could not register.
    /// </summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<AuditOptions>, AuditOptionsDefaults>();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidation>();

        services.AddSingleton<SubjectKeys>();
        services.AddSingleton<IAuditTrail, AuditTrail>();
        services.AddExceptionHandler<AuditUnavailableHandler>();
        return builder;
    }
}
