namespace Archives.Identity.Clerks;

/// <summary>The sign-in page's texts: Chinese by default, English with <c>?lang=en</c> (kept in a cookie).</summary>
internal sealed record SignInText
{
    public const string LanguageCookie = "archives.lang";

    public static readonly SignInText Chinese = new()
    {
        Language = "zh-CN",
        Title = "窗口工作人员登录",
        Product = "长三角档案跨馆查档平台",
        UserName = "用户名",
        Password = "密码",
        Submit = "登录",
        Failed = "用户名或密码不正确。",
        LockedOut = "尝试次数过多，账号已暂时锁定，请于 {0} 后再试。",
        Missing = "请输入用户名和密码。",
        Switch = "English",
        SwitchLanguage = "en",
        Notice = "仅限政务服务大厅窗口工作人员使用。查询民生档案须经当事人本人或其代理人授权。",
    };

    public static readonly SignInText English = new()
    {
        Language = "en",
        Title = "Service-hall clerk sign-in",
        Product = "Yangtze River Delta Archives Gateway",
        UserName = "User name",
        Password = "Password",
        Submit = "Sign in",
        Failed = "The user name or password is incorrect.",
        LockedOut = "Too many attempts: the account is locked until {0}.",
        Missing = "Enter your user name and password.",
        Switch = "中文",
        SwitchLanguage = "zh",
        Notice = "For service-hall clerks only. Personal records may be searched only for the person they describe or whoever lawfully acts for them.",
    };

    public required string Language { get; init; }

    public required string Title { get; init; }

    public required string Product { get; init; }

    public required string UserName { get; init; }

    public required string Password { get; init; }

    public required string Submit { get; init; }

    public required string Failed { get; init; }

    public required string LockedOut { get; init; }

    public required string Missing { get; init; }

    /// <summary>The label of the link to the other language, and that language's <c>lang</c> value.</summary>
    public required string Switch { get; init; }

    public required string SwitchLanguage { get; init; }

    public required string Notice { get; init; }

    /// <summary>
    /// The language asked for in the query (remembered in a cookie), else the one the client asked
    /// for with OIDC's <c>ui_locales</c> in the pending authorization request (the service hall sends
    /// the clerk's choice there), else the cookie's, else Chinese.
    /// </summary>
    public static SignInText For(HttpContext context)
    {
        var asked = context.Request.Query["lang"].ToString();
        if (asked is not ("en" or "zh") && RequestedLanguage(context) is { } requested)
        {
            return requested == "en" ? English : Chinese;
        }

        if (asked is "en" or "zh")
        {
            context.Response.Cookies.Append(LanguageCookie, asked, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
        }
        else
        {
            asked = context.Request.Cookies[LanguageCookie] ?? "zh";
        }

        return asked == "en" ? English : Chinese;
    }

    /// <summary>The first of <c>ui_locales</c> in the return URL (the authorization request) that the page has: <c>en</c>, <c>zh</c> or none.</summary>
    private static string? RequestedLanguage(HttpContext context)
    {
        // On a post the form was read already by model binding, so Form does not block.
        var returnUrl = context.Request.HasFormContentType ? context.Request.Form["ReturnUrl"].ToString() : context.Request.Query["ReturnUrl"].ToString();
        var query = returnUrl.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? returnUrl[at..] : "";
        var locales = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).GetValueOrDefault("ui_locales").ToString();
        return locales.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(tag => tag.Split('-')[0].ToLowerInvariant())
            .FirstOrDefault(language => language is "en" or "zh");
    }
}
