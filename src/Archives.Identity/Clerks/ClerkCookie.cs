using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;

namespace Archives.Identity.Clerks;

/// <summary>The clerk's session at the identity server: a cookie set by the sign-in page, read by the authorization endpoint.</summary>
internal static class ClerkCookie
{
    public const string Scheme = "Archives.Clerk";

    /// <summary>Cookie auth for clerks, the sign-in page (Razor Pages under <c>Clerks/</c>) and its texts.</summary>
    public static WebApplicationBuilder AddClerkSignIn(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication(Scheme)
            .AddCookie(Scheme, options =>
            {
                options.LoginPath = "/account/signin";
                options.Cookie.Name = "archives.clerk";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                // Note: the session here is what lets the authorization endpoint issue codes
                // without asking again; it lasts one shift at most and does not slide.
                options.ExpireTimeSpan = TimeSpan.FromHours(10);
                options.SlidingExpiration = false;
            });
        builder.Services.AddRazorPages(options => options.RootDirectory = "/Clerks");
        // Chinese text stays readable in the page's source instead of becoming character references.
        builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return builder;
    }

    public static WebApplication MapClerkSignIn(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}
