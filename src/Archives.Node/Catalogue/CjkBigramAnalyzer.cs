using System.Text;

namespace Archives.Node.Catalogue;

/// <summary>
/// Turns text into the tokens of the catalogue's full-text index, and keywords into a safe FTS5
/// query over them.
/// </summary>
/// <remarks>
/// <para>
/// Why bigrams: Chinese is written without spaces. SQLite FTS5's <c>unicode61</c> tokenizer treats
/// a whole run of Chinese as one token, so 婚姻 would never match 婚姻登记; its <c>trigram</c>
/// tokenizer matches substrings but only of three characters or more, and most Chinese words
/// (婚姻, 知青, 档案) have two. So, like Lucene's CJKAnalyzer and Elasticsearch's
/// <c>cjk_bigram</c> filter, the node indexes each run of CJK characters as its overlapping
/// bigrams (知青安置工作 → 知青 青安 安置 置工 工作) and, in a second column, as single characters
/// for one-character queries. A query word of two or more CJK characters becomes the FTS5 phrase
/// of its bigrams, which matches exactly where the word occurs as a substring of one run; a
/// one-character word searches the single-character column; other letters and digits are words
/// of their own. A dictionary segmenter (jieba and the like) would rank better but misses words
/// it does not know, which in old titles are many; bigrams never miss.
/// </para>
/// <para>
/// Runs are separated in the index by <see cref="Breaker"/>, a private-use character no query can
/// contain, so a phrase never matches across punctuation, digits or fields (婚姻登记，档案 does
/// not match 记档). The tokens are written already split and lower-cased, and the FTS5 table uses
/// the <c>ascii</c> tokenizer, which only splits on ASCII spaces and punctuation: what this class
/// emits is exactly what is indexed, with no Unicode-table surprises.
/// </para>
/// </remarks>
internal static class CjkBigramAnalyzer
{
    /// <summary>Separates runs and fields in the index; U+E000 (private use) never comes out of <see cref="Segment"/>.</summary>
    public const string Breaker = "\uE000";

    /// <summary>The most query words looked for at once; more is a 400 (each word costs a phrase and a score term).</summary>
    public const int MaxTerms = 12;

    /// <summary>A run of text of one kind.</summary>
    public readonly record struct Part(string Text, bool IsCjk);

    /// <summary>The index text of some fields: bigrams and words for the <c>terms</c> column, single CJK characters for <c>chars</c>.</summary>
    public static (string Terms, string Chars) Index(params ReadOnlySpan<string?> fields)
    {
        var terms = new StringBuilder();
        var chars = new StringBuilder();
        foreach (var field in fields)
        {
            if (string.IsNullOrEmpty(field))
            {
                continue;
            }

            foreach (var part in Segment(field))
            {
                AppendBreaker(terms);
                AppendBreaker(chars);
                if (!part.IsCjk)
                {
                    terms.Append(part.Text);
                    continue;
                }

                var runes = Runes(part.Text);
                for (var i = 0; i < runes.Count; i++)
                {
                    if (i > 0)
                    {
                        chars.Append(' ');
                    }

                    chars.Append(runes[i]);
                    if (i + 1 < runes.Count)
                    {
                        if (i > 0)
                        {
                            terms.Append(' ');
                        }

                        terms.Append(runes[i]).Append(runes[i + 1]);
                    }
                }
            }
        }

        return (terms.ToString(), chars.ToString());
    }

    /// <summary>
    /// Splits keywords into words (on white space) and each word into its runs, normalised
    /// (NFKC, lower case). Anything that is not a letter, digit or CJK character is dropped, so
    /// FTS5 syntax (quotes, <c>*</c>, <c>-</c>, parentheses, <c>NEAR</c> as a column filter) never
    /// reaches the query parser as syntax.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Part>> ParseQuery(string q)
    {
        var words = new List<IReadOnlyList<Part>>();
        foreach (var word in q.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = Segment(word);
            if (parts.Count > 0)
            {
                words.Add(parts);
            }
        }

        return words;
    }

    /// <summary>
    /// The FTS5 MATCH expression for parsed keywords: every part of every word must match. Each
    /// part is a double-quoted string of letters, digits and CJK characters only, so the
    /// expression is always valid FTS5 syntax.
    /// </summary>
    public static string ToMatchExpression(IEnumerable<Part> parts)
    {
        var clauses = new List<string>();
        foreach (var part in parts)
        {
            if (!part.IsCjk)
            {
                clauses.Add($"terms : \"{part.Text}\"");
                continue;
            }

            var runes = Runes(part.Text);
            if (runes.Count == 1)
            {
                clauses.Add($"chars : \"{runes[0]}\"");
                continue;
            }

            var bigrams = new StringBuilder();
            for (var i = 0; i + 1 < runes.Count; i++)
            {
                if (i > 0)
                {
                    bigrams.Append(' ');
                }

                bigrams.Append(runes[i]).Append(runes[i + 1]);
            }

            clauses.Add($"terms : \"{bigrams}\"");
        }

        return string.Join(" AND ", clauses);
    }

    /// <summary>Splits text into runs of CJK characters and runs of other letters and digits, normalised.</summary>
    public static List<Part> Segment(string text)
    {
        var parts = new List<Part>();
        var normalised = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var current = new StringBuilder();
        bool? currentIsCjk = null;

        void Flush()
        {
            if (current.Length > 0 && currentIsCjk is { } isCjk)
            {
                parts.Add(new Part(current.ToString(), isCjk));
            }

            current.Clear();
            currentIsCjk = null;
        }

        foreach (var rune in normalised.EnumerateRunes())
        {
            bool isCjk;
            if (IsCjk(rune))
            {
                isCjk = true;
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                isCjk = false;
            }
            else
            {
                Flush();
                continue;
            }

            if (currentIsCjk is { } kind && kind != isCjk)
            {
                Flush();
            }

            currentIsCjk = isCjk;
            if (isCjk)
            {
                current.Append(rune.ToString());
            }
            else
            {
                current.Append(Rune.ToLowerInvariant(rune).ToString());
            }
        }

        Flush();
        return parts;
    }

    /// <summary>Han ideographs (with 〇), kana and hangul: the scripts written without spaces between words.</summary>
    private static bool IsCjk(Rune rune)
    {
        var v = rune.Value;
        return v is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x20000 and <= 0x3FFFF)
            or 0x3007 or (>= 0x3040 and <= 0x30FF) or (>= 0xAC00 and <= 0xD7AF);
    }

    private static List<string> Runes(string text)
    {
        var runes = new List<string>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            runes.Add(rune.ToString());
        }

        return runes;
    }

    private static void AppendBreaker(StringBuilder builder)
    {
        if (builder.Length > 0)
        {
            builder.Append(' ').Append(Breaker).Append(' ');
        }
    }

    /// <summary>The canonical text of parsed keywords: words joined by spaces, parts by a tab.</summary>
    public static string Canonical(IReadOnlyList<IReadOnlyList<Part>> words)
        => string.Join(' ', words.Select(w => string.Join('\t', w.Select(p => p.Text))));
}
