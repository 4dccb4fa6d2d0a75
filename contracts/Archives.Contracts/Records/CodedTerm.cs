using System.Diagnostics.CodeAnalysis;

namespace Archives.Contracts;

/// <summary>A term of a closed vocabulary (a category), written on the wire as its code.</summary>
/// <typeparam name="TSelf">The vocabulary's type.</typeparam>
public interface ICodedTerm<TSelf> : IStringPrimitive<TSelf> where TSelf : class, ICodedTerm<TSelf>
{
    /// <summary>The wire code.</summary>
    string Code { get; }

    /// <summary>The Chinese name.</summary>
    string NameZh { get; }

    /// <summary>The English name.</summary>
    string NameEn { get; }

    /// <inheritdoc/>
    string IStringPrimitive<TSelf>.WireValue => Code;
}

/// <summary>Looks terms up by code for a vocabulary type.</summary>
internal sealed class CodeBook<T> where T : class, ICodedTerm<T>
{
    private readonly Dictionary<string, T> _byCode;
    private readonly string _unknownError;

    public CodeBook(string what, params T[] terms)
    {
        _byCode = terms.ToDictionary(t => t.Code, StringComparer.Ordinal);
        All = terms;
        _unknownError = $"Unknown {what}; known: {string.Join(", ", _byCode.Keys)}.";
    }

    public IReadOnlyList<T> All { get; }

    public bool TryFind(string? s, [NotNullWhen(true)] out T? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var code = s?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(code) || !_byCode.TryGetValue(code, out result))
        {
            error = _unknownError;
            return false;
        }

        error = null;
        return true;
    }
}
