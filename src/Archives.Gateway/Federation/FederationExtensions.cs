using Archives.Contracts;
using Archives.Gateway.Hosting;

namespace Archives.Gateway.Federation;

internal static class FederationExtensions
{
    /// <summary>Fan-out under a deadline, the catalogue and personal-record federations.</summary>
    public static WebApplicationBuilder AddFederation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<FederationOptions>()
            .BindConfiguration(FederationOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.DefaultLimit <= o.MaxLimit, "Gateway:Federation:DefaultLimit must not exceed Gateway:Federation:MaxLimit.")
            .ValidateOnStart();
        builder.Services.AddSingleton<NodeFanOut>();
        builder.Services.AddSingleton<CatalogueFederation>();
        builder.Services.AddSingleton<RecordFederation>();
        builder.Services.AddRequestBodies(typeof(FederatedRecordSearchRequest));
        return builder;
    }
}
