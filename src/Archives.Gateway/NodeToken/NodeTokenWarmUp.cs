namespace Archives.Gateway.NodeToken;

/// <summary>
/// Gets the node token at start, so that the first search does not spend its deadline on it; an identity server
/// not up yet does not stop the start (the token is then fetched on first use).
/// </summary>
internal sealed class NodeTokenWarmUp(NodeTokenSource tokens, ILogger<NodeTokenWarmUp> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await tokens.GetTokenAsync(cancellationToken);
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("The gateway has no node token yet ({Reason}); it tries again on the first node call.", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
