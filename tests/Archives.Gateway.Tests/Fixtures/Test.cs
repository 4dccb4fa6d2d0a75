using System.Reflection;
using Archives.Testing;

namespace Archives.Gateway.Tests.Fixtures;

internal static class Test
{
    /// <summary>The running test's cancellation token.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The gateway project's folder (its appsettings.json), for tests that build its services by hand.</summary>
    public static string GatewayContentRoot { get; } = typeof(Test).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "GatewayContentRoot").Value!;

    /// <summary>The project's identity server (the assembly fixture); already started when a test runs.</summary>
    public static IdentityServerFixture Identity =>
        TestContext.Current.GetFixture<IdentityServerFixture>().AsTask().GetAwaiter().GetResult()
        ?? throw new InvalidOperationException("The IdentityServerFixture assembly fixture is not registered.");
}
