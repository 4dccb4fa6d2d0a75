namespace Archives.Gateway.Caching;

/// <summary>
/// Who is asking, as far as caching cares: part of every catalogue key, so that answers never cross tiers. The
/// open catalogue (开放档案) is the same for every caller, hence one tier; a caller whose scopes let nodes show
/// more (a partner archive seeing restricted entries) would get a tier of its own here.
/// </summary>
internal static class AccessTier
{
    public const string Public = "public";

    public static string Of(HttpContext context) => Public;
}
