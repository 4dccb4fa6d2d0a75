using Microsoft.Extensions.Options;

namespace Archives.Gateway.Audit;

/// <summary>Development only: the dev subject key when none is configured.</summary>
internal sealed class AuditOptionsDefaults(IHostEnvironment environment) : IPostConfigureOptions<AuditOptions>
{
    public void PostConfigure(string? name, AuditOptions options)
    {
        if (environment.IsDevelopment() && string.IsNullOrWhiteSpace(options.SubjectKey))
        {
            options.SubjectKey = AuditOptions.DevSubjectKey;
        }
    }
}
