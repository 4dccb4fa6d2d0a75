namespace Archives.Gateway.Tests.Fixtures;

/// <summary>A data directory for the hosts of one test, deleted when the test ends (declare it first so it is disposed last).</summary>
public sealed class TestData : IAsyncDisposable
{
    public string Path { get; } = GatewayHost.NewDataDirectory();

    public ValueTask DisposeAsync()
    {
        GatewayHost.DeleteDataDirectory(Path);
        return ValueTask.CompletedTask;
    }
}
