using System.Text;
using Archives.Gateway.Federation;

namespace Archives.Gateway.Tests.Federation;

/// <summary>The federated cursor: what it carries between pages, and what it refuses.</summary>
public sealed class CatalogueCursorTests
{
    private const string Fingerprint = "Zm9yLXRoaXMtcXVlcnk";

    private const int MaxLength = 8192;

    private const string NotIssued = "'cursor' is not a cursor this gateway issued; pass nextCursor from the previous page unchanged.";

    private static readonly CatalogueCursor Mixed = new(new Dictionary<string, NodePosition>
    {
        ["330100"] = new("node-cursor-of-page-3", 5, 25, false),
        ["330200"] = new(null, 4, 4, false),
        ["330300"] = new(null, 0, 0, true),
        ["330400"] = new("page-2", 0, 10, false),
        ["330500"] = NodePosition.Start,
    });

    [Fact]
    public void Encode_ThenDecode_GivesEveryNodeItsPosition()
    {
        var text = Mixed.Encode(Fingerprint);

        Assert.True(CatalogueCursor.TryDecode(text, Fingerprint, MaxLength, out var cursor, out var error), error);
        Assert.Null(error);
        foreach (var (nodeId, position) in Mixed.Positions)
        {
            Assert.Equal(position, cursor.PositionOf(nodeId));
        }
    }

    [Fact]
    public void Encode_IsUrlSafeAndDeterministic_WhateverOrderThePositionsCameIn()
    {
        var reversed = new CatalogueCursor(Mixed.Positions.Reverse().ToDictionary(p => p.Key, p => p.Value));

        var text = Mixed.Encode(Fingerprint);

        Assert.Equal(text, reversed.Encode(Fingerprint));
        Assert.Matches("^[A-Za-z0-9_-]+$", text);
    }

    [Fact]
    public void Encode_LeavesOutNodesAtTheirStart()
    {
        var withStarts = new CatalogueCursor(new Dictionary<string, NodePosition> { ["330100"] = NodePosition.Start, ["330200"] = new(null, 0, 0, true) });
        var without = new CatalogueCursor(new Dictionary<string, NodePosition> { ["330200"] = new(null, 0, 0, true) });

        Assert.Equal(without.Encode(Fingerprint), withStarts.Encode(Fingerprint));
        Assert.DoesNotContain("330100", Decoded(withStarts.Encode(Fingerprint)), StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NodesTheCursorDoesNotName_StartAtTheBeginning()
    {
        // A node added to the registry between two pages simply joins at its first entry.
        Assert.True(CatalogueCursor.TryDecode(Mixed.Encode(Fingerprint), Fingerprint, MaxLength, out var cursor, out _));

        Assert.Equal(NodePosition.Start, cursor.PositionOf("339999"));
        Assert.Equal(NodePosition.Start, cursor.PositionOf("330500"));
    }

    [Fact]
    public void Decode_ExhaustedNodes_StayExhausted_AndAreNotTheStart()
    {
        Assert.True(CatalogueCursor.TryDecode(Mixed.Encode(Fingerprint), Fingerprint, MaxLength, out var cursor, out _));

        var exhausted = cursor.PositionOf("330300");

        Assert.True(exhausted.Exhausted);
        Assert.NotEqual(NodePosition.Start, exhausted);
    }

    [Fact]
    public void Decode_ACursorOfAnotherQuery_IsRefusedAsSuch()
    {
        var text = Mixed.Encode(Fingerprint);

        Assert.False(CatalogueCursor.TryDecode(text, "YW5vdGhlci1xdWVyeQ", MaxLength, out var cursor, out var error));
        Assert.Null(cursor);
        Assert.Equal("'cursor' belongs to another query: a cursor continues only the query that returned it.", error);
    }

    [Fact]
    public void Decode_ACursorLongerThanTheLimit_IsRefusedBeforeItIsRead()
    {
        var text = Mixed.Encode(Fingerprint);

        Assert.True(CatalogueCursor.TryDecode(text, Fingerprint, text.Length, out _, out _));
        Assert.False(CatalogueCursor.TryDecode(text, Fingerprint, text.Length - 1, out var cursor, out var error));
        Assert.Null(cursor);
        Assert.Equal($"'cursor' has at most {text.Length - 1} characters.", error);
    }

    [Fact]
    public void Decode_EveryCutOfAnIssuedCursor_IsRefused()
    {
        var text = Mixed.Encode(Fingerprint);

        for (var length = 0; length < text.Length; length++)
        {
            Assert.False(CatalogueCursor.TryDecode(text[..length], Fingerprint, MaxLength, out _, out var error), $"cut at {length}");
            Assert.Equal(NotIssued, error);
        }
    }

    [Theory]
    [InlineData("x")]
    [InlineData("AAAA")]
    [InlineData("%%%")]
    [InlineData("eyJ2IjoxfQ==")]
    [InlineData("not-a-cursor")]
    [InlineData("档案")]
    public void Decode_TextThatIsNotACursor_IsRefused(string text)
    {
        Assert.False(CatalogueCursor.TryDecode(text, Fingerprint, MaxLength, out var cursor, out var error));
        Assert.Null(cursor);
        Assert.Equal(NotIssued, error);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("1")]
    [InlineData("\"cursor\"")]
    [InlineData("{}")]
    [InlineData("{")]
    [InlineData("{\"v\":2,\"q\":\"{q}\",\"n\":{}}")]
    [InlineData("{\"v\":\"1\",\"q\":\"{q}\",\"n\":{}}")]
    [InlineData("{\"v\":1,\"n\":{}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\"}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":[]}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{}} trailing")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":null}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"o\":-1}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"o\":10001}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"o\":99999999999}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"o\":1.5}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"r\":-1}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"r\":1000001}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"c\":5}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"x\":0}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"x\":2}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"x\":1,\"c\":\"abc\"}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{\"330100\":{\"x\":1,\"o\":3}}}")]
    [InlineData("{\"v\":1,\"q\":\"{q}\",\"n\":{},\"deep\":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}")]
    public void Decode_ADocumentThisGatewayWouldNotHaveWritten_IsRefused(string json)
    {
        var text = Base64Url(Encoding.UTF8.GetBytes(json.Replace("{q}", Fingerprint, StringComparison.Ordinal)));

        Assert.False(CatalogueCursor.TryDecode(text, Fingerprint, MaxLength, out var cursor, out var error));
        Assert.Null(cursor);
        Assert.Equal(NotIssued, error);
    }

    [Fact]
    public void Decode_ANodeIdLongerThanAnyNodeId_IsRefused()
        => AssertRefused($"{{\"v\":1,\"q\":\"{Fingerprint}\",\"n\":{{\"{new string('3', 65)}\":{{\"r\":1}}}}}}");

    [Fact]
    public void Decode_ANodeCursorLongerThanTheNodeContractAllows_IsRefused()
        => AssertRefused($"{{\"v\":1,\"q\":\"{Fingerprint}\",\"n\":{{\"330100\":{{\"c\":\"{new string('c', 513)}\",\"r\":1}}}}}}");

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0xFD })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' })]
    public void Decode_BytesThatAreNotUtf8Json_AreRefused(byte[] bytes)
    {
        Assert.False(CatalogueCursor.TryDecode(Base64Url(bytes), Fingerprint, MaxLength, out var cursor, out var error));
        Assert.Null(cursor);
        Assert.Equal(NotIssued, error);
    }

    [Fact]
    public void Decode_InvalidUtf8InsideTheDocument_IsRefused()
    {
        var prefix = Encoding.UTF8.GetBytes("{\"v\":1,\"q\":\"");
        var suffix = Encoding.UTF8.GetBytes("\",\"n\":{}}");

        AssertRefused([.. prefix, 0xC3, 0x28, .. suffix]);
        AssertRefused([.. Encoding.UTF8.GetBytes($"{{\"v\":1,\"q\":\"{Fingerprint}\",\"n\":{{\""), 0xFF, .. Encoding.UTF8.GetBytes("\":{\"r\":1}}}")]);
        AssertRefused([.. Encoding.UTF8.GetBytes($"{{\"v\":1,\"q\":\"{Fingerprint}\",\"n\":{{\"330100\":{{\"c\":\""), 0xED, 0xA0, 0x80, .. Encoding.UTF8.GetBytes("\",\"r\":1}}}")]);
    }

    [Fact]
    public void Decode_ArbitraryText_NeverThrows()
    {
        var random = new Random(18);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= {}\":,档";
        for (var i = 0; i < 2000; i++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 200)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var decoded = CatalogueCursor.TryDecode(text, Fingerprint, MaxLength, out var cursor, out var error);
            Assert.Equal(decoded, cursor is not null);
            Assert.Equal(decoded, error is null);
        }
    }

    [Fact]
    public void Decode_ArbitraryBytesBehindTheBase64_NeverThrow()
    {
        var random = new Random(18);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 120)];
            random.NextBytes(bytes);
            Assert.False(CatalogueCursor.TryDecode(Base64Url(bytes), Fingerprint, MaxLength, out _, out var error));
            Assert.Equal(NotIssued, error);
        }
    }

    private static void AssertRefused(string json) => AssertRefused(Encoding.UTF8.GetBytes(json));

    private static void AssertRefused(byte[] document)
    {
        Assert.False(CatalogueCursor.TryDecode(Base64Url(document), Fingerprint, MaxLength, out var cursor, out var error));
        Assert.Null(cursor);
        Assert.Equal(NotIssued, error);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Decoded(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
    }
}
