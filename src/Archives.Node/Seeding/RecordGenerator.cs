using System.Globalization;
using System.Text.Json;
using Archives.Contracts;
using Archives.Node.Records;

namespace Archives.Node.Seeding;

/// <summary>A person the synthetic records are about.</summary>
internal sealed record Person(string Name, Sex Sex, DateOnly BirthDate, IdNumber IdNumber);

/// <summary>
/// Synthetic personal records: subjects with valid ID numbers born mostly within the node's
/// division, events dated as each category's history allows (知青 1962–1979, 土地承包 from 1983,
/// 独生子女 1979–2015…), subjects of a plausible age at the event, records before 1985 mostly
/// without an ID number, about 15% still on paper. Deterministic for a seed and division.
/// </summary>
internal static class RecordGenerator
{
    private sealed record Profile(RecordCategory Category, int Weight, int From, int To, int MinAge, int MaxAge, string FondsKey, string ClassCode);

    private static readonly Profile[] Profiles =
    [
        new(RecordCategory.Marriage, 25, 1950, 2025, 20, 35, "civil-affairs", "HY"),
        new(RecordCategory.EducatedYouth, 10, 1962, 1979, 16, 25, "educated-youth-office", "ZQ"),
        new(RecordCategory.MilitaryService, 8, 1950, 2025, 17, 22, "military", "BY"),
        new(RecordCategory.Adoption, 5, 1950, 2025, 28, 50, "civil-affairs", "SY"),
        new(RecordCategory.Employment, 18, 1958, 2010, 16, 30, "labour", "ZG"),
        new(RecordCategory.School, 15, 1950, 2025, 12, 18, "education", "XJ"),
        new(RecordCategory.LandContract, 10, 1983, 2025, 20, 60, "agriculture", "TD"),
        new(RecordCategory.OneChild, 9, 1979, 2015, 22, 40, "family-planning", "JS"),
    ];

    private static readonly DateOnly LastDate = new(CatalogueGenerator.LastYear, 12, 31);

    private static readonly IReadOnlyList<Division> AllCounties = [.. Divisions.All.Where(d => d.Level == DivisionLevel.County)];

    /// <summary>Records with ids <c>R0000001</c> upward.</summary>
    public static IEnumerable<PersonalRecord> Generate(NodePlaces places, IReadOnlyList<RecordCategory> held, int seed, int count)
    {
        var random = new Random(SeedMixer.Mix(seed, places.Division, stream: 2));
        var profiles = Profiles.Where(p => held.Contains(p.Category)).ToArray();
        if (profiles.Length == 0 || count == 0)
        {
            yield break;
        }

        var totalWeight = profiles.Sum(p => p.Weight);
        var persons = new List<Person>();
        var idNumbers = new HashSet<string>(StringComparer.Ordinal);
        var counters = new Dictionary<(string, int), int>();

        for (var n = 1; n <= count; n++)
        {
            var profile = Pick(random, profiles, totalWeight);
            Person? person = null;
            var eventYear = 0;

            // A quarter of the records are about someone who already has one (married, then employed…).
            if (persons.Count > 0 && random.Next(100) < 25)
            {
                var candidate = persons[random.Next(persons.Count)];
                var from = Math.Max(profile.From, candidate.BirthDate.Year + profile.MinAge);
                var to = Math.Min(Math.Min(profile.To, candidate.BirthDate.Year + profile.MaxAge), LastDate.Year);
                if (from <= to)
                {
                    person = candidate;
                    eventYear = random.Next(from, to + 1);
                }
            }

            if (person is null)
            {
                eventYear = EventYear(random, profile);
                var age = random.Next(profile.MinAge, profile.MaxAge + 1);
                var birthDate = RandomDate(random, eventYear - age);
                person = NewPerson(random, places, birthDate, idNumbers);
                persons.Add(person);
            }

            var eventDate = RandomDate(random, eventYear);
            var earliest = person.BirthDate.AddYears(profile.MinAge);
            if (eventDate < earliest)
            {
                eventDate = earliest > LastDate ? LastDate : earliest;
            }

            // Before about 1985 records carried no ID number; a few were annotated with one later.
            var carriesId = eventDate.Year >= 1985 || random.Next(100) < 10;
            var digitised = random.Next(100) >= 15;
            var fonds = places.FondsOf(profile.FondsKey).Code;
            var key = (profile.ClassCode, eventDate.Year);
            var counter = counters.GetValueOrDefault(key);
            counters[key] = counter + 1;
            var reference = ArchivalReference.Create(fonds, $"{profile.ClassCode}{ArchivalReference.PartSeparator}{eventDate.Year}", $"{counter / 50 + 1:D4}", $"{counter % 50 + 1:D4}");

            yield return Build($"R{n:D7}", profile.Category, person, eventDate, carriesId, digitised, reference, places, random);
        }
    }

    /// <summary>A record of a given subject and event (the synthetic data's, or a demo citizen's).</summary>
    public static PersonalRecord Build(
        string id, RecordCategory category, Person person, DateOnly eventDate, bool carriesId, bool digitised,
        ArchivalReference reference, NodePlaces places, Random random)
    {
        var (title, summary, facts) = Describe(category, person, eventDate, places, random);
        return new PersonalRecord
        {
            Id = id,
            Category = category.Code,
            ArchivalReference = reference.Value,
            Title = title,
            Summary = summary,
            EventDate = eventDate,
            SubjectName = person.Name,
            SubjectBirthDate = person.BirthDate,
            IdNumber = carriesId ? person.IdNumber.Value : null,
            Digitised = digitised,
            FactsJson = JsonSerializer.Serialize(facts),
        };
    }

    /// <summary>The fonds and class of a category's records at this node, for references.</summary>
    public static (string FondsCode, string ClassCode) FilingOf(RecordCategory category, NodePlaces places)
    {
        var profile = Profiles.First(p => p.Category == category);
        return (places.FondsOf(profile.FondsKey).Code, profile.ClassCode);
    }

    private static Person NewPerson(Random random, NodePlaces places, DateOnly birthDate, HashSet<string> idNumbers)
    {
        var sex = random.Next(2) == 0 ? Sex.Male : Sex.Female;
        var name = ChineseNames.Next(random, sex, birthDate.Year);
        // About one in ten was born elsewhere in the four provinces.
        var counties = random.Next(100) < 10 ? AllCounties : places.Counties;
        var division = DivisionCode.Parse(counties[random.Next(counties.Count)].Code);
        IdNumber idNumber;
        do
        {
            // The 17th digit is odd for men, even for women.
            var sequence = random.Next(500) * 2 + (sex == Sex.Male ? 1 : 0);
            idNumber = IdNumber.Create(division, birthDate, sequence);
        }
        while (!idNumbers.Add(idNumber.Value));

        return new Person(name, sex, birthDate, idNumber);
    }

    private static int EventYear(Random random, Profile profile)
    {
        var roll = random.Next(100);
        return profile.Category.Code switch
        {
            // Most were sent down between 1968 and 1978.
            "educated-youth" => roll < 80 ? random.Next(1968, 1979) : random.Next(1962, 1980),
            // Recruitment (招工) mostly before the labour-contract reforms of the mid-1990s.
            "employment" => roll < 85 ? random.Next(1958, 1996) : random.Next(1996, 2011),
            // Adoption registration mostly after the 1992 Adoption Law.
            "adoption" => roll < 85 ? random.Next(1992, 2026) : random.Next(1950, 1992),
            _ => random.Next(profile.From, profile.To + 1),
        };
    }

    private static DateOnly RandomDate(Random random, int year)
    {
        var date = new DateOnly(year, 1, 1).AddDays(random.Next(DateTime.IsLeapYear(year) ? 366 : 365));
        return date > LastDate ? LastDate : date;
    }

    private static Profile Pick(Random random, Profile[] profiles, int total)
    {
        var roll = random.Next(total);
        foreach (var profile in profiles)
        {
            if (roll < profile.Weight)
            {
                return profile;
            }

            roll -= profile.Weight;
        }

        return profiles[^1];
    }

    private static string Place(Random random, NodePlaces places)
        => places.Children.Count > 0 && random.Next(2) == 0 ? places.Children[random.Next(places.Children.Count)].Name : places.Name;

    private static string Chinese(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    private static (string Title, string Summary, Dictionary<string, string> Facts) Describe(
        RecordCategory category, Person person, DateOnly date, NodePlaces places, Random random)
    {
        var place = Place(random, places);
        var year = date.Year.ToString(CultureInfo.InvariantCulture);
        switch (category.Code)
        {
            case "marriage":
            {
                var spouse = ChineseNames.Next(random, person.Sex == Sex.Male ? Sex.Female : Sex.Male, person.BirthDate.Year);
                var office = $"{place}民政局婚姻登记处";
                return ($"{year}年结婚登记", $"{person.Name}与{spouse}于{Chinese(date)}在{office}登记结婚。",
                    new() { ["spouseName"] = spouse, ["registrationOffice"] = office, ["registrationDate"] = Chinese(date) });
            }

            case "educated-youth":
            {
                var school = $"{places.Name}第{random.Next(1, 16)}中学";
                var destination = $"{Place(random, places)}{Commune(random)}公社{Numeral(random)}大队";
                return ($"{year}年知识青年上山下乡登记", $"{person.Name}于{Chinese(date)}由{school}赴{destination}插队落户。",
                    new() { ["originSchool"] = school, ["destination"] = destination, ["departureDate"] = Chinese(date) });
            }

            case "military-service":
            {
                var unit = $"中国人民解放军{random.Next(31000, 96000)}部队";
                var discharge = date.AddYears(random.Next(2, 6));
                return ($"{year}年入伍登记", $"{person.Name}于{Chinese(date)}应征入伍，服役于{unit}，{discharge.Year}年退伍。",
                    new() { ["enlistmentDate"] = Chinese(date), ["unit"] = unit, ["dischargeYear"] = $"{discharge.Year}年" });
            }

            case "adoption":
            {
                var child = ChineseNames.Next(random, random.Next(2) == 0 ? Sex.Male : Sex.Female, date.Year);
                var office = $"{place}民政局";
                return ($"{year}年收养登记", $"{person.Name}于{Chinese(date)}在{office}办理收养登记，收养子女{child}。",
                    new() { ["adoptedChildName"] = child, ["registrationOffice"] = office, ["registrationDate"] = Chinese(date) });
            }

            case "employment":
            {
                string[] works = ["棉纺厂", "机械厂", "丝绸厂", "化肥厂", "食品公司", "百货公司", "运输公司", "电机厂"];
                string[] kinds = date.Year < 1986 ? ["全民所有制固定工", "集体所有制职工"] : ["全民所有制合同制工人", "集体所有制职工", "劳动合同制职工"];
                var unit = $"{place}{works[random.Next(works.Length)]}";
                var kind = kinds[random.Next(kinds.Length)];
                return ($"{year}年招工录用审批", $"{person.Name}于{Chinese(date)}经批准招收为{unit}{kind}。",
                    new() { ["workUnit"] = unit, ["employmentType"] = kind, ["startDate"] = Chinese(date) });
            }

            case "school":
            {
                var school = $"{place}第{random.Next(1, 16)}中学";
                var enrolment = date.Year - 3;
                return ($"{year}届毕业生学籍", $"{person.Name}于{enrolment}年入学{school}，{date.Year}年毕业。",
                    new() { ["schoolName"] = school, ["enrolmentYear"] = $"{enrolment}年", ["graduationYear"] = $"{date.Year}年" });
            }

            case "land-contract":
            {
                var village = $"{place}{Commune(random)}村";
                var area = (random.Next(5, 60) / 10.0).ToString("0.0", CultureInfo.InvariantCulture) + "亩";
                var term = date.Year < 1998 ? $"{date.Year}年至{date.Year + 15}年" : $"{date.Year}年至{date.Year + 30}年";
                return ($"{year}年农村土地承包经营权登记", $"{person.Name}户于{Chinese(date)}承包{village}集体土地{area}，承包期{term}。",
                    new() { ["village"] = village, ["area"] = area, ["contractTerm"] = term });
            }

            default:
            {
                var child = ChineseNames.Next(random, random.Next(2) == 0 ? Sex.Male : Sex.Female, date.Year);
                var certificate = $"{places.Division.Value[..4]}{date.Year}{random.Next(10000, 99999)}";
                return ($"{year}年独生子女父母光荣证", $"{person.Name}于{Chinese(date)}领取独生子女父母光荣证，子女{child}。",
                    new() { ["childName"] = child, ["certificateNumber"] = certificate, ["issueDate"] = Chinese(date) });
            }
        }
    }

    private static string Commune(Random random)
    {
        string[] names = ["红星", "东风", "前进", "新民", "向阳", "五星", "长乐", "青山", "石桥", "三里"];
        return names[random.Next(names.Length)];
    }

    private static string Numeral(Random random)
    {
        string[] numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        return numerals[random.Next(numerals.Length)];
    }
}
