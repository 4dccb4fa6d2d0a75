using System.Collections.Concurrent;

namespace Archives.Gateway.Tests.Sdk;

/// <summary>
/// The one fault a real gateway cannot show on demand: a response lost on the way back. The request
/// reaches the gateway and is served in full; then the first <paramref name="losses"/> answers to matching
/// requests are thrown away as a dropped connection would. Records every attempt it saw.
/// </summary>
internal sealed class LoseResponses(Func<HttpRequestMessage, bool> matches, int losses) : DelegatingHandler
{
    private int _lost;

    public ConcurrentQueue<(HttpMethod Method, string Path, string? IdempotencyKey, System.Net.HttpStatusCode? Status)> Attempts { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var key = request.Headers.TryGetValues("Idempotency-Key", out var values) ? values.Single() : null;
        Attempts.Enqueue((request.Method, request.RequestUri!.AbsolutePath, key, response.StatusCode));
        if (matches(request) && Interlocked.Increment(ref _lost) <= losses)
        {
            response.Dispose();
            throw new HttpRequestException("The connection was reset before the response arrived (injected).", new IOException("reset"));
        }

        return response;
    }
}

/// <summary>Counts the requests of the SDK's identity client (discovery and token requests).</summary>
internal sealed class CountRequests : DelegatingHandler
{
    private int _tokenRequests;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post)
        {
            Interlocked.Increment(ref _tokenRequests);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Answers the matching requests itself with 429 and a <c>Retry-After</c>, as the gateway over a client's limit does; counts them.</summary>
internal sealed class AnswerTooManyRequests(Func<HttpRequestMessage, bool> matches, TimeSpan retryAfter) : DelegatingHandler
{
    private int _answered;

    public int Answered => Volatile.Read(ref _answered);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!matches(request))
        {
            return base.SendAsync(request, cancellationToken);
        }

        Interlocked.Increment(ref _answered);
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests) { RequestMessage = request };
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAfter);
        return Task.FromResult(response);
    }
}
