using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Archives.Contracts;

/// <summary>
/// A domain primitive written on the wire as one string, which parses only valid values and
/// explains, without repeating the input, why it rejects the others.
/// </summary>
/// <typeparam name="TSelf">The primitive's type.</typeparam>
public interface IStringPrimitive<TSelf> where TSelf : class, IStringPrimitive<TSelf>
{
    /// <summary>The value as written on the wire.</summary>
    string WireValue { get; }

    /// <summary>Parses the text, or explains why it cannot.</summary>
    static abstract bool TryParse([NotNullWhen(true)] string? s, [NotNullWhen(true)] out TSelf? result, [NotNullWhen(false)] out string? error);
}

/// <summary>
/// Reads and writes a <see cref="IStringPrimitive{TSelf}"/> as its string. Invalid text is a
/// <see cref="JsonException"/> whose message says what is wrong; the web hosts turn it into a 400
/// problem naming the field (the JSON path).
/// </summary>
/// <typeparam name="T">The primitive's type.</typeparam>
public sealed class StringPrimitiveJsonConverter<T> : JsonConverter<T> where T : class, IStringPrimitive<T>
{
    /// <inheritdoc/>
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a string, not {reader.TokenType}.");
        }

        return T.TryParse(reader.GetString(), out var value, out var error) ? value : throw new JsonException(error);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.WireValue);
}
