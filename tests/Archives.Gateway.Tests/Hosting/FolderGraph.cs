using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Archives.Gateway.Tests.Hosting;

/// <summary>
/// Which folders (features) of the gateway use which, read from its source. A file uses another folder when its
/// code names that folder's namespace: <c>using Archives.Gateway.X</c> (also <c>static</c> or an alias), a qualified
/// <c>Archives.Gateway.X.Y</c>, or a bare <c>X.Y</c>, which C# resolves to the sibling namespace from inside any
/// <c>Archives.Gateway.*</c> namespace. Comments and string literals are not code; interpolation holes are.
/// </summary>
/// <remarks>
/// A bare <c>X.Y</c> is taken to be the namespace even when a member of the same name is meant: rename the member
/// (or qualify it with <c>this.</c>) rather than teach this reader C#'s name lookup.
/// </remarks>
internal sealed partial class FolderGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> _uses;

    private FolderGraph(IReadOnlySet<string> folders, SortedDictionary<string, SortedDictionary<string, SortedSet<string>>> uses)
    {
        Folders = folders;
        _uses = uses;
    }

    /// <summary>The folders that hold source files; files directly in the project (Program.cs, the composition root) are not in a folder.</summary>
    public IReadOnlySet<string> Folders { get; }

    /// <summary>The project's own source files: every <c>*.cs</c> below <paramref name="projectDirectory"/> but build output.</summary>
    public static IReadOnlyDictionary<string, string> SourceFiles(string projectDirectory)
        => Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(projectDirectory, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .ToDictionary(path => path, path => File.ReadAllText(Path.Combine(projectDirectory, path)), StringComparer.Ordinal);

    /// <summary>The graph of <paramref name="files"/>: project-relative paths (with <c>/</c>) and their text.</summary>
    public static FolderGraph Of(IReadOnlyDictionary<string, string> files)
    {
        var folders = files.Keys.Where(p => p.Contains('/', StringComparison.Ordinal)).Select(FolderOf).ToHashSet(StringComparer.Ordinal);
        var sibling = new Regex($@"(?<![\w.@])({string.Join('|', folders.Select(Regex.Escape))})\s*\.\s*(?=[A-Za-z_])", RegexOptions.CultureInvariant);
        var uses = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        foreach (var (path, text) in files)
        {
            if (!path.Contains('/', StringComparison.Ordinal))
            {
                continue;
            }

            var from = FolderOf(path);
            var code = CodeOnly(text);
            var named = Qualified().Matches(code).Select(m => m.Groups[1].Value);
            if (folders.Count > 0)
            {
                named = named.Concat(sibling.Matches(code).Select(m => m.Groups[1].Value));
            }

            foreach (var to in named.Where(folders.Contains).Where(to => to != from))
            {
                var targets = uses.TryGetValue(from, out var t) ? t : uses[from] = new(StringComparer.Ordinal);
                (targets.TryGetValue(to, out var f) ? f : targets[to] = new(StringComparer.Ordinal)).Add(path);
            }
        }

        return new FolderGraph(folders, uses);
    }

    /// <summary>
    /// Loops of folders that use each other, leaving out the uses in <paramref name="ignoring"/>: every pair that
    /// uses each other directly, and for a set of folders tangled only through longer loops, its shortest loop
    /// through its first folder by name. Each loop starts and ends at the same folder.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlySet<(string From, string To)> ignoring)
    {
        var next = Folders.ToDictionary(
            f => f,
            f => (IReadOnlyList<string>)[.. (_uses.TryGetValue(f, out var t) ? t.Keys : Enumerable.Empty<string>()).Where(to => !ignoring.Contains((f, to)))],
            StringComparer.Ordinal);
        var loops = new List<IReadOnlyList<string>>();
        foreach (var component in StronglyConnected(next).Where(c => c.Count > 1))
        {
            var pairs = component
                .SelectMany(a => next[a].Where(b => string.CompareOrdinal(a, b) < 0 && next[b].Contains(a)).Select(b => (IReadOnlyList<string>)[a, b, a]))
                .ToList();
            loops.AddRange(pairs.Count > 0 ? pairs : [ShortestLoop(next, component)]);
        }

        return [.. loops.OrderBy(l => l[0], StringComparer.Ordinal).ThenBy(l => l[1], StringComparer.Ordinal)];
    }

    /// <summary>A loop as <c>A → B → A</c>, with the files behind each step.</summary>
    public string Describe(IReadOnlyList<string> loop)
    {
        var text = new StringBuilder(string.Join(" → ", loop));
        for (var i = 0; i + 1 < loop.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n  {loop[i]} → {loop[i + 1]}: {string.Join(", ", _uses[loop[i]][loop[i + 1]])}");
        }

        return text.ToString();
    }

    /// <summary>Whether a file of <paramref name="from"/> uses <paramref name="to"/>.</summary>
    public bool Uses(string from, string to) => _uses.TryGetValue(from, out var targets) && targets.ContainsKey(to);

    /// <summary>
    /// The source with comments and the text of string and character literals blanked (line breaks kept), and the
    /// code in interpolation holes left as it is: regular, verbatim and raw literals, with <c>$</c> and <c>@</c> prefixes.
    /// </summary>
    public static string CodeOnly(string source)
    {
        var output = source.ToCharArray();
        var i = 0;
        ScanCode(source, output, ref i, inHole: false);
        return new string(output);
    }

    private static string FolderOf(string path) => path[..path.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>Code from <paramref name="i"/> on; in a hole, up to (not past) the <c>}</c> that closes it.</summary>
    private static void ScanCode(string s, char[] o, ref int i, bool inHole)
    {
        var depth = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '/' && At(s, i + 1) == '/')
            {
                while (i < s.Length && s[i] != '\n')
                {
                    Blank(o, i++);
                }
            }
            else if (c == '/' && At(s, i + 1) == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                while (i < end)
                {
                    Blank(o, i++);
                }
            }
            else if (c == '\'')
            {
                Blank(o, i++);
                while (i < s.Length && s[i] != '\'' && s[i] != '\n')
                {
                    if (s[i] == '\\')
                    {
                        Blank(o, i++);
                    }

                    Blank(o, i++);
                }

                Blank(o, i++);
            }
            else if (c is '"' or '$' or '@' && StringStart(s, i) is { } prefixEnd)
            {
                ScanString(s, o, ref i, prefixEnd);
            }
            else if (inHole && c == '{')
            {
                depth++;
                i++;
            }
            else if (inHole && c == '}')
            {
                if (depth == 0)
                {
                    return;
                }

                depth--;
                i++;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>Where the quotes of a string literal start when one starts at <paramref name="i"/> (after any <c>$</c> and <c>@</c>).</summary>
    private static int? StringStart(string s, int i)
    {
        if (i > 0 && (char.IsLetterOrDigit(s[i - 1]) || s[i - 1] == '_') && s[i] != '"')
        {
            return null;
        }

        var j = i;
        while (j < s.Length && s[j] is '$' or '@')
        {
            j++;
        }

        return At(s, j) == '"' ? j : null;
    }

    private static void ScanString(string s, char[] o, ref int i, int quotesAt)
    {
        var dollars = s[i..quotesAt].Count(ch => ch == '$');
        var verbatim = s[i..quotesAt].Contains('@', StringComparison.Ordinal);
        while (i < quotesAt)
        {
            Blank(o, i++);
        }

        // A verbatim literal is never raw: its "" is an escaped quote.
        var quotes = verbatim ? 1 : Run(s, i, '"');
        if (quotes == 2)
        {
            Blank(o, i++);
            Blank(o, i++);
            return;
        }

        var raw = quotes >= 3;
        var delimiter = raw ? quotes : 1;
        for (var q = 0; q < delimiter; q++)
        {
            Blank(o, i++);
        }

        while (i < s.Length)
        {
            var c = s[i];
            if (!raw && !verbatim && c == '\\')
            {
                Blank(o, i++);
                Blank(o, i++);
            }
            else if (!raw && verbatim && c == '"' && At(s, i + 1) == '"')
            {
                Blank(o, i++);
                Blank(o, i++);
            }
            else if (c == '"' && (!raw || Run(s, i, '"') >= delimiter))
            {
                for (var q = 0; q < delimiter; q++)
                {
                    Blank(o, i++);
                }

                return;
            }
            else if (dollars > 0 && c == '{')
            {
                var braces = Run(s, i, '{');
                var opener = raw ? dollars : 1;
                if (!raw && braces >= 2)
                {
                    Blank(o, i++);
                    Blank(o, i++);
                    continue;
                }

                for (var b = 0; b < braces; b++)
                {
                    Blank(o, i++);
                }

                if (braces >= opener)
                {
                    ScanCode(s, o, ref i, inHole: true);
                    while (At(s, i) == '}')
                    {
                        Blank(o, i++);
                    }
                }
            }
            else if (!raw && c == '\n' && !verbatim)
            {
                return;
            }
            else
            {
                Blank(o, i++);
            }
        }
    }

    private static int Run(string s, int i, char c)
    {
        var n = 0;
        while (At(s, i + n) == c)
        {
            n++;
        }

        return n;
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static void Blank(char[] o, int i)
    {
        if (i < o.Length && o[i] != '\n')
        {
            o[i] = ' ';
        }
    }

    /// <summary>Tarjan's algorithm: the graph's strongly connected components.</summary>
    private static List<List<string>> StronglyConnected(IReadOnlyDictionary<string, IReadOnlyList<string>> next)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();
        foreach (var folder in next.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(folder))
            {
                Visit(folder);
            }
        }

        return components;

        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next[v])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }
    }

    /// <summary>A shortest path from the component's first folder back to itself, inside the component (breadth first).</summary>
    private static List<string> ShortestLoop(IReadOnlyDictionary<string, IReadOnlyList<string>> next, List<string> component)
    {
        var start = component.Min(StringComparer.Ordinal)!;
        var inside = component.ToHashSet(StringComparer.Ordinal);
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var v))
        {
            foreach (var w in next[v].Where(inside.Contains))
            {
                if (w == start)
                {
                    var loop = new List<string> { start };
                    for (var at = v; at != start; at = cameFrom[at])
                    {
                        loop.Add(at);
                    }

                    loop.Add(start);
                    loop.Reverse();
                    return loop;
                }

                if (cameFrom.TryAdd(w, v))
                {
                    queue.Enqueue(w);
                }
            }
        }

        throw new InvalidOperationException($"No loop through {start} in a component of {component.Count} folders.");
    }

    [GeneratedRegex(@"\bArchives\s*\.\s*Gateway\s*\.\s*([A-Za-z_]\w*)", RegexOptions.CultureInvariant)]
    private static partial Regex Qualified();
}
