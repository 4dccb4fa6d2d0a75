using System.Text.Json;
using System.Text.Json.Serialization;

namespace Archives.Contracts.Tests.Primitives;

public class JsonBodyErrorTests
{
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    [Fact]
    public void ABadIdNumber_IsReportedUnderItsPath_WithoutTheValueSent()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Subject>("""{"idNumber":"33010619550312123X"}""", Strict));

        Assert.Equal("idNumber", JsonBodyError.FieldOf(error));
        Assert.DoesNotContain("33010619550312123X", JsonBodyError.ReasonOf(error));
        Assert.DoesNotContain("Path:", JsonBodyError.ReasonOf(error));
    }

    [Fact]
    public void AnUnknownMember_IsReportedWithoutRepeatingItsName()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Subject>("""{"name":"陈建国","330106195503121238":1}""", Strict));

        Assert.Equal("Not a member of this request.", JsonBodyError.ReasonOf(error));
        Assert.DoesNotContain("330106195503121238", JsonBodyError.ReasonOf(error));
        Assert.Equal(IdNumber.Mask("330106195503121238"), JsonBodyError.FieldOf(error));
    }

    [Fact]
    public void TextThatIsNotJson_IsNotQuotedBack()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Subject>("330106195503121238X", Strict));

        Assert.Equal("body", JsonBodyError.FieldOf(error));
        Assert.StartsWith("Not valid JSON (line 1, byte ", JsonBodyError.ReasonOf(error), StringComparison.Ordinal);
        Assert.DoesNotContain("330106", JsonBodyError.ReasonOf(error));
    }

    [Fact]
    public void AWrongType_SaysSo_AndABrokenDocumentIsTheBody()
    {
        var wrongType = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Subject>("""{"name":42}""", Strict));
        var broken = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Subject>("{", Strict));

        Assert.Equal(("name", "The value has the wrong type or format."), (JsonBodyError.FieldOf(wrongType), JsonBodyError.ReasonOf(wrongType)));
        Assert.Equal("body", JsonBodyError.FieldOf(broken));
    }
}
