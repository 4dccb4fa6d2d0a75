using Archives.Contracts;
using Archives.ServiceHall.Access;
using Archives.ServiceHall.Search;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static Archives.ServiceHall.Hosting.Text;

namespace Archives.ServiceHall.Pages.Search;

/// <summary>The search form (查询): who the citizen is, what is looked for, where, and why.</summary>
public sealed class IndexModel(SearchStore searches, FormDrafts drafts, Regions regions) : PageModel
{
    [BindProperty]
    public SearchForm Form { get; set; } = new();

    public IReadOnlyList<Region> Regions => regions.All;

    public async Task OnGetAsync()
    {
        if (await drafts.TakeAsync(HttpContext) is { } draft)
        {
            Form = SearchForm.FromDraft(draft);
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var request = Form.Validate(ModelState, regions);
        if (request is null)
        {
            return Page();
        }

        var search = await searches.CreateAsync(Clerk.From(User).Id, request);
        return RedirectToPage("/Search/Results", new { id = search.Id });
    }
}

/// <summary>The search form's fields, as typed; validated again here whatever the browser checked.</summary>
public sealed class SearchForm
{
    public string? IdNumber { get; set; }

    public string? Name { get; set; }

    public string? BirthDate { get; set; }

    public List<string> Categories { get; set; } = [];

    public string? Region { get; set; }

    public string? Purpose { get; set; }

    internal static SearchForm FromDraft(IReadOnlyDictionary<string, string?[]> draft)
    {
        string? One(string key) => draft.TryGetValue("Form." + key, out var v) ? v.FirstOrDefault() : null;
        return new SearchForm
        {
            IdNumber = One(nameof(IdNumber)),
            Name = One(nameof(Name)),
            BirthDate = One(nameof(BirthDate)),
            Region = One(nameof(Region)),
            Purpose = One(nameof(Purpose)),
            Categories = draft.TryGetValue("Form.Categories", out var c) ? [.. c.OfType<string>()] : [],
        };
    }

    internal FederatedRecordSearchRequest? Validate(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, Regions regions)
    {
        state.Clear();
        Contracts.IdNumber? id = null;
        if (!string.IsNullOrWhiteSpace(IdNumber))
        {
            if (Contracts.IdNumber.TryParse(IdNumber.Trim().ToUpperInvariant(), out var parsed, out var error))
            {
                id = parsed;
            }
            else
            {
                // Names the wrong character without repeating the number.
                state.AddModelError("Form.IdNumber", IdNumberAdvice.Describe(IdNumber, error));
            }
        }

        DateOnly? birth = null;
        if (!string.IsNullOrWhiteSpace(BirthDate))
        {
            if (DateOnly.TryParseExact(BirthDate.Trim(), "yyyy-MM-dd", out var date) && date >= Contracts.IdNumber.EarliestBirthDate && date <= DateOnly.FromDateTime(DateTime.Today))
            {
                birth = date;
            }
            else
            {
                state.AddModelError("Form.BirthDate", T("出生日期格式为 年-月-日，例如 1968-07-21。", "Give the birth date as year-month-day, e.g. 1968-07-21."));
            }
        }

        var name = Name?.Trim();
        if (name is { Length: > NodeContract.MaxNameLength })
        {
            state.AddModelError("Form.Name", T($"姓名最多 {NodeContract.MaxNameLength} 个字。", $"A name has at most {NodeContract.MaxNameLength} characters."));
        }

        if (string.IsNullOrWhiteSpace(IdNumber) && (string.IsNullOrEmpty(name) || string.IsNullOrWhiteSpace(BirthDate)))
        {
            state.AddModelError("Form.IdNumber", T("请填写身份号码；无身份号码的早期档案请填写姓名和出生日期。", "Give the ID number; for early records without one, give the name and birth date."));
        }

        var purpose = Purpose?.Trim();
        if (string.IsNullOrEmpty(purpose))
        {
            state.AddModelError("Form.Purpose", T("请填写查档用途，例如“办理退休手续”。", "Give the purpose, e.g. “retirement application”."));
        }
        else if (purpose.Length > NodeContract.MaxPurposeLength)
        {
            state.AddModelError("Form.Purpose", T($"查档用途最多 {NodeContract.MaxPurposeLength} 个字。", $"The purpose has at most {NodeContract.MaxPurposeLength} characters."));
        }

        var categories = new List<RecordCategory>();
        foreach (var code in Categories)
        {
            if (RecordCategory.TryParse(code, out var category, out _))
            {
                categories.Add(category);
            }
            else
            {
                state.AddModelError("Form.Categories", T("档案门类无效。", "Unknown record category."));
            }
        }

        var region = string.IsNullOrEmpty(Region) ? null : regions.Find(Region);
        if (!string.IsNullOrEmpty(Region) && region is null)
        {
            state.AddModelError("Form.Region", T("请选择列表中的地区。", "Choose a region from the list."));
        }

        if (!state.IsValid)
        {
            return null;
        }

        return new FederatedRecordSearchRequest
        {
            Subject = new Subject { IdNumber = id, Name = string.IsNullOrEmpty(name) ? null : name, BirthDate = birth },
            Categories = categories,
            Regions = region is null ? [] : [Archives.ServiceHall.Search.Regions.ToPrefix(region)],
            Purpose = purpose!,
        };
    }
}
