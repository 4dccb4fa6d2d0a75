using System.Net;
using Archives.Contracts;
using Archives.ServiceHall.Access;
using Archives.ServiceHall.Hosting;
using Archives.ServiceHall.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Refit;
using static Archives.ServiceHall.Hosting.Text;

namespace Archives.ServiceHall.Pages.Certificates;

/// <summary>
/// The issue form (出具档案查询证明) for one record of a stored search. Its Idempotency-Key is made when the form is
/// first shown for that record and kept with the search, so a double click, a refresh, Back and resubmit, or a
/// second tab all reach the gateway with the same key and show the one certificate (Post/Redirect/Get).
/// </summary>
public sealed class NewModel(SearchStore searches, FormDrafts drafts, ICertificatesApi certificates, Microsoft.Extensions.Options.IOptions<HallOptions> hall, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Search { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public int Record { get; set; }

    [BindProperty]
    public IssueForm Form { get; set; } = new();

    public FederatedRecord? Chosen { get; private set; }

    public string? AlreadyIssued { get; private set; }

    public GatewayProblem? Problem { get; private set; }

    /// <summary>Whether the gateway answered 202: the paper record is being retrieved.</summary>
    public bool Retrieving { get; private set; }

    /// <summary>When the holding archive expects the paper record to be retrieved (China time), from the gateway's <c>Retry-After</c>.</summary>
    public DateTimeOffset? RetrievalReadyAt { get; private set; }

    /// <summary>How long until then, for a wait of less than an hour.</summary>
    public TimeSpan? RetrievalWait { get; private set; }

    public async Task<IActionResult> OnGetAsync(bool another = false)
    {
        var (search, record) = await LoadAsync();
        if (search is null || record is null)
        {
            return RedirectToPage("/Search/Index");
        }

        var slot = Slot(record);
        if (another && search.IssueKeys.TryGetValue(slot, out var used) && search.Issued.ContainsKey(used))
        {
            search.IssueKeys.Remove(slot);
        }

        if (!search.IssueKeys.TryGetValue(slot, out var key))
        {
            key = Guid.NewGuid().ToString();
            search.IssueKeys[slot] = key;
            await searches.SaveAsync(Clerk.From(User).Id, search);
        }

        AlreadyIssued = search.Issued.GetValueOrDefault(key);
        Form = await drafts.TakeAsync(HttpContext) is { } draft ? IssueForm.FromDraft(draft) : new IssueForm { Purpose = search.Request.Purpose };
        Form.Key = key;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var (search, record) = await LoadAsync();
        if (search is null || record is null)
        {
            return RedirectToPage("/Search/Index");
        }

        // Only a key this search made for this record is sent: a forged field cannot replay another's certificate.
        if (!search.IssueKeys.TryGetValue(Slot(record), out var key) || key != Form.Key)
        {
            return RedirectToPage(new { search = Search, record = Record });
        }

        var clerk = Clerk.From(User);
        var request = Form.Validate(ModelState, search, record, clerk, hall.Value.HallNames.GetValueOrDefault(clerk.Hall));
        if (request is null)
        {
            return Page();
        }

        try
        {
            for (var attempt = 0; ; attempt++)
            {
                using var answer = await certificates.IssueAsync(key, request, HttpContext.RequestAborted);
                if (answer.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK && answer.Content is { } issued)
                {
                    search.Issued[key] = issued.Certificate.Number;
                    await searches.SaveAsync(Clerk.From(User).Id, search);
                    return Redirect($"/certificates/{Uri.EscapeDataString(issued.Certificate.Number)}");
                }

                if (answer.StatusCode == HttpStatusCode.Accepted)
                {
                    // The record exists on paper only: the archive retrieves it first; the same key issues it later.
                    if (answer.Headers?.RetryAfter?.Delta is { } wait)
                    {
                        RetrievalWait = wait;
                        RetrievalReadyAt = time.GetUtcNow().Add(wait).ToOffset(TimeSpan.FromHours(8));
                    }

                    Retrieving = true;
                    return Page();
                }

                // 409: the first click's request is still being served; its certificate is the answer.
                if (answer.StatusCode == HttpStatusCode.Conflict && attempt < 10)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), HttpContext.RequestAborted);
                    continue;
                }

                if (answer.Error is { } error)
                {
                    throw error;
                }

                throw new InvalidOperationException($"Unexpected answer {(int?)answer.StatusCode} to an issuance.");
            }
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.UnprocessableEntity && e.Content?.Contains("probableMatchConfirmed", StringComparison.Ordinal) == true)
        {
            ModelState.AddModelError("Form.ConfirmProbable", T("疑似匹配的记录须经核对确认后方可出证。", "A probable match must be confirmed before it is certified."));
            return Page();
        }
        catch (Exception e) when (GatewayProblem.From(e) is { } problem)
        {
            Problem = problem;
            return Page();
        }
    }

    private async Task<(StoredSearch?, FederatedRecord?)> LoadAsync()
    {
        var search = await searches.FindAsync(Clerk.From(User).Id, Search);
        Chosen = search is not null && Record >= 0 && Record < search.Records.Count ? search.Records[Record] : null;
        return (search, Chosen);
    }

    private static string Slot(FederatedRecord record) => $"{record.NodeId}/{record.RecordId}";
}

public sealed class IssueForm
{
    public string Key { get; set; } = "";

    public string? Purpose { get; set; }

    public string? Use { get; set; }

    public string? Relation { get; set; }

    public string? ApplicantName { get; set; }

    public string? PowerOfAttorney { get; set; }

    public string? Organisation { get; set; }

    public string? Letter { get; set; }

    public bool ConfirmProbable { get; set; }

    internal static IssueForm FromDraft(IReadOnlyDictionary<string, string?[]> draft)
    {
        string? One(string key) => draft.TryGetValue("Form." + key, out var v) ? v.FirstOrDefault() : null;
        return new IssueForm
        {
            Purpose = One(nameof(Purpose)), Use = One(nameof(Use)), Relation = One(nameof(Relation)), ApplicantName = One(nameof(ApplicantName)),
            PowerOfAttorney = One(nameof(PowerOfAttorney)), Organisation = One(nameof(Organisation)), Letter = One(nameof(Letter)),
            ConfirmProbable = One(nameof(ConfirmProbable)) == "true",
        };
    }

    internal CertificateRequest? Validate(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, StoredSearch search, FederatedRecord record, Clerk clerk, string? hallName)
    {
        state.Clear();
        string? Required(string? value, string field, int max, string missing)
        {
            var text = value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                state.AddModelError(field, missing);
                return null;
            }

            if (text.Length > max)
            {
                state.AddModelError(field, T($"最多 {max} 个字。", $"At most {max} characters."));
                return null;
            }

            return text;
        }

        var purpose = Required(Purpose, "Form.Purpose", CertificateLimits.MaxPurposeLength, T("请填写查档用途。", "Give the purpose."));
        MannerOfUse? use = null;
        if (Use is null || !MannerOfUse.TryParse(Use, null, out use))
        {
            state.AddModelError("Form.Use", T("请选择利用方式。", "Choose the manner of use."));
        }

        ApplicantRelation? relation = Relation switch { "self" => ApplicantRelation.Self, "agent" => ApplicantRelation.Agent, "official" => ApplicantRelation.Official, _ => null };
        if (relation is null)
        {
            state.AddModelError("Form.Relation", T("请选择申请人与查档对象的关系。", "Choose how the applicant relates to the subject."));
        }

        string? name = null, attorney = null, organisation = null, letter = null;
        if (relation is ApplicantRelation.Agent or ApplicantRelation.Official)
        {
            name = Required(ApplicantName, "Form.ApplicantName", CertificateLimits.MaxNameLength, T("请填写申请人姓名。", "Give the applicant's name."));
        }

        if (relation == ApplicantRelation.Agent)
        {
            attorney = Required(PowerOfAttorney, "Form.PowerOfAttorney", CertificateLimits.MaxReferenceLength, T("委托代理须填写授权委托书编号。", "An agent needs the power of attorney's reference."));
        }

        if (relation == ApplicantRelation.Official)
        {
            organisation = Required(Organisation, "Form.Organisation", CertificateLimits.MaxNameLength, T("公务查档须填写单位名称。", "An official needs the organisation's name."));
            letter = Required(Letter, "Form.Letter", CertificateLimits.MaxReferenceLength, T("公务查档须填写介绍信编号。", "An official needs the letter's reference."));
        }

        if (record.Match == MatchKind.Probable && !ConfirmProbable)
        {
            state.AddModelError("Form.ConfirmProbable", T("此记录仅按姓名和出生日期匹配，须核对申请人证件后勾选确认。", "This record matches on name and birth date only: check the applicant's papers and tick to confirm."));
        }

        if (!state.IsValid)
        {
            return null;
        }

        return new CertificateRequest
        {
            Record = new CertificateRecordReference { NodeId = record.NodeId, RecordId = record.RecordId },
            Subject = search.Request.Subject,
            Purpose = purpose!,
            Use = use!,
            Applicant = new CertificateApplicant { Relation = relation.GetValueOrDefault(), Name = name, PowerOfAttorneyReference = attorney, Organisation = organisation, LetterReference = letter },
            IssuedVia = new CertificateChannel { Kind = IssuingChannelKind.Hall, Hall = DivisionCode.TryParse(clerk.Hall, out var code, out _) ? code : null, Name = hallName },
            ProbableMatchConfirmed = record.Match == MatchKind.Probable && ConfirmProbable,
        };
    }
}
