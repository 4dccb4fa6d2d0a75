namespace Archives.Gateway.Caching;

/// <summary>
/// Who is asking, as far as caching cares: part of every catalogue key, so that answers never cross tiers.
/// There is one tier today, <c>public</c>: the open catalogue (开放档案) is the same for every caller — nodes
/// answer the gateway's open-catalogue search alike whoever asked, anonymous or signed in. A caller whose scopes
/// would let nodes show more (e.g. a partner archive seeing restricted entries) would get a tier of its own here.
/// </summary>
internal static class AccessTier
{
    public const string Public = "public";

    public static string Of(HttpContext context) => Public;
}
