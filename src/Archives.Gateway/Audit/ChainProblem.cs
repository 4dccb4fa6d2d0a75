using System.Text.Json.Serialization;

namespace Archives.Gateway.Audit;

/// <summary>Why an entry breaks the chain.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChainProblem>))]
internal enum ChainProblem
{
    /// <summary>A sequence number is missing.</summary>
    [JsonStringEnumMemberName("missing")]
    Missing,

    /// <summary>The entry's previous hash is not its predecessor's hash.</summary>
    [JsonStringEnumMemberName("previous-hash-mismatch")]
    PreviousHashMismatch,

    /// <summary>The entry's content does not hash to its stored hash.</summary>
    [JsonStringEnumMemberName("hash-mismatch")]
    HashMismatch,
}
