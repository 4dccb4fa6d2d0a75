using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Distributed;

namespace Archives.ServiceHall.Access;

/// <summary>
/// What a clerk had typed when their session ended: a form posted without a valid session is kept
/// server-side for a few minutes (it may hold an ID number, so never in a URL or a cookie's value),
/// bound to the browser by a random key in an HttpOnly cookie, and put back into the same page once the
/// clerk has signed in again.
/// </summary>
public sealed class FormDrafts(IDistributedCache cache, IHostEnvironment environment)
{
    private const string Cookie = "__hall_draft";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    /// <summary>Keeps a posted form before the clerk is sent to sign in, and sends them back to the page (by GET).</summary>
    public async Task KeepAsync(HttpContext context, AuthenticationProperties properties)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return;
        }

        var form = await request.ReadFormAsync();
        var fields = form.Where(f => !f.Key.StartsWith("__", StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal);
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        var draft = new Draft(request.Path + request.QueryString, fields);
        await cache.SetAsync("hall:draft:" + key, JsonSerializer.SerializeToUtf8Bytes(draft), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime });
        context.Response.Cookies.Append(Cookie, key, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = request.IsHttps || !environment.IsDevelopment(),
            MaxAge = Lifetime,
            IsEssential = true,
        });
        properties.RedirectUri = draft.Page;
    }

    /// <summary>The draft kept for this page, once: the fields as posted, or null.</summary>
    public async Task<IReadOnlyDictionary<string, string?[]>?> TakeAsync(HttpContext context)
    {
        if (context.Request.Cookies[Cookie] is not { Length: > 0 } key)
        {
            return null;
        }

        var bytes = await cache.GetAsync("hall:draft:" + key);
        var draft = bytes is null ? null : JsonSerializer.Deserialize<Draft>(bytes);
        if (draft is null || draft.Page != context.Request.Path + context.Request.QueryString)
        {
            return null;
        }

        await cache.RemoveAsync("hall:draft:" + key);
        context.Response.Cookies.Delete(Cookie);
        return draft.Fields;
    }

    private sealed record Draft(string Page, Dictionary<string, string?[]> Fields);
}
