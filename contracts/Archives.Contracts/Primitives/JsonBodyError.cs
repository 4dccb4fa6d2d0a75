using System.Text.Json;

namespace Archives.Contracts;

/// <summary>
/// What a client is told when a contract body does not deserialize: the field, as the JSON path of the bad member,
/// and a reason. The reason never repeats the value sent (an ID number stays out of errors), nor the name of a
/// member the contract does not have (it may be one), nor .NET type and member names.
/// </summary>
public static class JsonBodyError
{
    /// <summary>
    /// The field: <c>$.subject.idNumber</c> → <c>subject.idNumber</c>; the root is <c>body</c>. A member name that is a
    /// national ID number (sent as a key by mistake) is masked, as ID numbers are in every error.
    /// </summary>
    public static string FieldOf(JsonException exception)
    {
        var field = exception.Path?.TrimStart('$').TrimStart('.');
        if (string.IsNullOrEmpty(field))
        {
            return "body";
        }

        return string.Join('.', field.Split('.').Select(part => IdNumber.TryParse(part, out var id, out _) ? id.Masked : part));
    }

    /// <summary>The reason, without the serializer's location suffix (the field says where).</summary>
    public static string ReasonOf(JsonException exception)
    {
        var message = exception.Message;
        if (exception.InnerException?.GetType().Name == "JsonReaderException")
        {
            // The reader quotes the text it could not read, which may be what was sent.
            return $"Not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}).";
        }

        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "Not a member of this request.";
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "The value has the wrong type or format.";
        }

        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (at < 0)
        {
            at = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return at > 0 ? message[..at] : message;
    }
}
