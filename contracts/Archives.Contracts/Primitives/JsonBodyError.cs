using System.Text.Json;

namespace Archives.Contracts;

/// <summary>
/// What a client is told when a contract body does not deserialize: the field, as the JSON path of the bad member,
/// and a reason. The reason never repeats the value sent (an ID number stays out of errors), nor the name of a
/// member the contract does not have (it may be one), nor .NET type and member names.
/// </summary>
public static class JsonBodyError
{
    /// <summary>The field: <c>$.subject.idNumber</c> → <c>subject.idNumber</c>; the root is <c>body</c>.</summary>
    public static string FieldOf(JsonException exception)
    {
        var field = exception.Path?.TrimStart('$').TrimStart('.');
        return string.IsNullOrEmpty(field) ? "body" : field;
    }

    /// <summary>The reason, without the serializer's location suffix (the field says where).</summary>
    public static string ReasonOf(JsonException exception)
    {
        var message = exception.Message;
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
