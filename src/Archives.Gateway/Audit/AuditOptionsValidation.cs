using Microsoft.Extensions.Options;

namespace Archives.Gateway.Audit;

/// <summary>A real subject key: present, base64, long enough, and never the dev key outside Development.</summary>
internal sealed class AuditOptionsValidation(IHostEnvironment environment) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        const string key = $"{AuditOptions.Section}:SubjectKey";
        if (string.IsNullOrWhiteSpace(options.SubjectKey))
        {
            return ValidateOptionsResult.Fail(
                $"{key} is required: a base64 HMAC-SHA256 key of at least {AuditOptions.MinSubjectKeyBytes} bytes, the same on every instance "
                + "(e.g. environment variable Gateway__Audit__SubjectKey; make one with: openssl rand -base64 32).");
        }

        Span<byte> bytes = stackalloc byte[512];
        if (!Convert.TryFromBase64String(options.SubjectKey, bytes, out var length) || length < AuditOptions.MinSubjectKeyBytes)
        {
            return ValidateOptionsResult.Fail($"{key} is not base64 of at least {AuditOptions.MinSubjectKeyBytes} (and at most 512) bytes.");
        }

        // Note: the dev key is in the repository; with it anyone could test a guessed ID number against the log.
        if (!environment.IsDevelopment() && options.SubjectKey == AuditOptions.DevSubjectKey)
        {
            return ValidateOptionsResult.Fail($"{key} is the dev-only key of the repository, refused outside Development; set the deployment's own key.");
        }

        return options.DefaultLimit > options.MaxLimit
            ? ValidateOptionsResult.Fail($"{AuditOptions.Section}:DefaultLimit is at most {AuditOptions.Section}:MaxLimit.")
            : ValidateOptionsResult.Success;
    }
}
