using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Archives.Identity.Clerks;

/// <summary>The clerks' sign-in page: checks the password, starts the clerk's session, returns to the authorization request.</summary>
internal sealed class SignInModel(ClerkSignIn clerks, TimeProvider time) : PageModel
{
    private static readonly TimeSpan ChinaStandardTime = TimeSpan.FromHours(8);

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public SignInText Text { get; private set; } = SignInText.Chinese;

    public string? Error { get; private set; }

    /// <summary>The signed-in clerk's name when the page is opened without a pending request.</summary>
    public string? SignedInAs { get; private set; }

    public void OnGet()
    {
        Text = SignInText.For(HttpContext);
        SignedInAs = User.Identity?.IsAuthenticated == true ? User.FindFirstValue(Claims.Name) : null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Text = SignInText.For(HttpContext);
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Error = Text.Missing;
            return Page();
        }

        // Bounded input: PBKDF2 over an unbounded password would be a way to burn CPU.
        var outcome = UserName.Length > 64 || Password.Length > 256
            ? new SignInOutcome.Failed()
            : await clerks.CheckAsync(UserName.Trim(), Password, cancellationToken);
        Password = null;

        switch (outcome)
        {
            case SignInOutcome.Succeeded(var clerk):
                var identity = new ClaimsIdentity(ClerkCookie.Scheme, Claims.Name, Claims.Role);
                identity.AddClaim(new Claim(Claims.Subject, clerk.Subject));
                identity.AddClaim(new Claim(Claims.Name, clerk.DisplayName));
                await HttpContext.SignInAsync(ClerkCookie.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties
                {
                    IsPersistent = false,
                    IssuedUtc = time.GetUtcNow(),
                });
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : Url.Page("/SignIn")!);

            case SignInOutcome.LockedOut(var until):
                Error = string.Format(CultureInfo.InvariantCulture, Text.LockedOut, until.ToOffset(ChinaStandardTime).ToString("HH:mm", CultureInfo.InvariantCulture));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();

            default:
                Error = Text.Failed;
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }
}
