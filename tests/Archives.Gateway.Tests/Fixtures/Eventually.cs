namespace Archives.Gateway.Tests.Fixtures;

/// <summary>Polls for a condition that becomes true asynchronously (file watchers, backplane messages), with a generous bound.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not become true in time.");
            }

            await Task.Delay(100);
        }
    }
}
