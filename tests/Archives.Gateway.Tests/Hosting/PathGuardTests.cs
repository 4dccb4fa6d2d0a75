using Archives.Gateway.Hosting;
using Archives.Gateway.Proxy;

namespace Archives.Gateway.Tests.Hosting;

/// <summary>
/// The path guard's and the records refusal's reading of a path, written with spans: every spelling of a dot
/// segment is caught, names that merely contain dots are not. (Through HTTP in <c>NodeProxyTests</c>.)
/// </summary>
public sealed class PathGuardTests
{
    [Theory]
    [InlineData("/nodes/330100/../330200/x")]
    [InlineData("/nodes/330100/..")]
    [InlineData("/nodes/330100/./x")]
    [InlineData("/nodes/330100/%2e%2e/330200")]
    [InlineData("/nodes/330100/%2E./330200")]
    [InlineData("/nodes/330100/.%2e/330200")]
    [InlineData("/nodes/330100/%2e/x")]
    [InlineData("/nodes/330100/x/..?q=1")]
    [InlineData("/nodes/330100/a%2fb")]
    [InlineData("/nodes/330100/a%5Cb")]
    [InlineData("/nodes/330100/%252e%252e/x")]
    [InlineData("/nodes/330100\\x")]
    [InlineData("/nodes/330100/a%00")]
    public void EscapeAttempts_AreRecognised(string target) => Assert.True(PathGuardMiddleware.IsEscapeAttempt(target));

    [Theory]
    [InlineData("/nodes/330100/node/v1/info")]
    [InlineData("/nodes/330100/files/scan.v2.pdf")]
    [InlineData("/nodes/330100/.../x")]
    [InlineData("/nodes/330100/a..b/x")]
    [InlineData("/nodes/330100/x?path=../..")]
    [InlineData("/nodes/330100/x#..")]
    [InlineData("/")]
    [InlineData("")]
    public void OrdinaryPaths_Pass(string target) => Assert.False(PathGuardMiddleware.IsEscapeAttempt(target));

    [Theory]
    [InlineData("/nodes/330100/node/v1/records/search", "node/v1/records/search")]
    [InlineData("/nodes/330100/NODE/v1/Records/abc", "NODE/v1/Records/abc")]
    [InlineData("/nodes/330100/", "")]
    [InlineData("/nodes/330100", "")]
    [InlineData(null, "")]
    public void NodePath_IsWhatFollowsTheNodeId(string? gatewayPath, string expected)
        => Assert.Equal(expected, NodeProxyExtensions.NodePath(gatewayPath).ToString());
}
