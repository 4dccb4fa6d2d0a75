namespace Archives.Gateway.Tests.Fixtures;

internal static class Test
{
    /// <summary>The running test's cancellation token.</summary>
    public static CancellationToken Ct => TestContext.Current.CancellationToken;
}
