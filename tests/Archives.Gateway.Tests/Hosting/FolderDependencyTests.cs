namespace Archives.Gateway.Tests.Hosting;

/// <summary>
/// The gateway's folders are features that use each other one way only: what two of them both need lives in the
/// one that owns it, below the other. Read from the source (<see cref="FolderGraph"/>), so a new <c>using</c>,
/// qualified name or sibling-namespace name that closes a loop fails here with the files that make it.
/// </summary>
public sealed class FolderDependencyTests
{
    [Fact]
    public void GatewayFolders_UseEachOtherOneWayOnly()
    {
        var graph = FolderGraph.Of(FolderGraph.SourceFiles(GatewayContentRoot));

        var loops = graph.Cycles(ignoring: new HashSet<(string, string)>());

        Assert.True(loops.Count == 0,
            "Folders of src/Archives.Gateway use each other; move what both need to the one that owns it:\n"
            + string.Join("\n", loops.Select(graph.Describe)));
    }

    [Fact]
    public void GatewayFiles_DeclareTheNamespaceOfTheirFolder()
    {
        var files = FolderGraph.SourceFiles(GatewayContentRoot);

        var misplaced = files
            .Where(f => f.Key.Contains('/', StringComparison.Ordinal))
            .Select(f => (Path: f.Key, Expected: "Archives.Gateway." + Path.GetDirectoryName(f.Key)!.Replace('/', '.'), Declared: Namespace(f.Value)))
            .Where(f => f.Declared != f.Expected)
            .Select(f => $"{f.Path}: namespace {f.Declared ?? "(none)"}, expected {f.Expected}")
            .ToList();
        var global = files.Where(f => FolderGraph.CodeOnly(f.Value).Contains("global using Archives.Gateway", StringComparison.Ordinal)).Select(f => f.Key).ToList();

        Assert.Empty(misplaced);
        Assert.Empty(global);
    }

    [Fact]
    public void Graph_FindsTwoFoldersThatUseEachOther()
    {
        var graph = FolderGraph.Of(new Dictionary<string, string>
        {
            ["Alpha/One.cs"] = "using Archives.Gateway.Beta;\nnamespace Archives.Gateway.Alpha;\ninternal sealed class One(Two two);",
            ["Beta/Two.cs"] = "namespace Archives.Gateway.Beta;\ninternal sealed class Two { public Archives.Gateway.Alpha.One? One { get; init; } }",
            ["Gamma/Three.cs"] = "using Archives.Gateway.Alpha;\nnamespace Archives.Gateway.Gamma;\ninternal sealed class Three(One one);",
            ["Program.cs"] = "using Archives.Gateway.Alpha;\nusing Archives.Gateway.Beta;\nusing Archives.Gateway.Gamma;",
        });

        var loops = graph.Cycles(ignoring: new HashSet<(string, string)>());

        Assert.Equal(["Alpha", "Beta", "Alpha"], Assert.Single(loops));
        Assert.Equal("Alpha → Beta → Alpha\n  Alpha → Beta: Alpha/One.cs\n  Beta → Alpha: Beta/Two.cs", graph.Describe(loops[0]));
        Assert.Empty(graph.Cycles(ignoring: new HashSet<(string, string)> { ("Beta", "Alpha") }));
    }

    [Fact]
    public void Graph_FindsALoopThroughStaticAliasAndSiblingNames()
    {
        var graph = FolderGraph.Of(new Dictionary<string, string>
        {
            ["Alpha/One.cs"] = "namespace Archives.Gateway.Alpha;\ninternal static class One { public static int Size => Beta.Two.Size; }",
            ["Beta/Two.cs"] = "using static Archives.Gateway.Gamma.Three;\nnamespace Archives.Gateway.Beta;\ninternal static class Two { public static int Size => Width; }",
            ["Gamma/Three.cs"] = "using First = Archives . Gateway . Alpha.One;\nnamespace Archives.Gateway.Gamma;\ninternal static class Three { public const int Width = 1; }",
        });

        var loops = graph.Cycles(ignoring: new HashSet<(string, string)>());

        Assert.Equal(["Alpha", "Beta", "Gamma", "Alpha"], Assert.Single(loops));
    }

    [Fact]
    public void Graph_ReadsCodeInInterpolationHolesButNotCommentsOrStrings()
    {
        var graph = FolderGraph.Of(new Dictionary<string, string>
        {
            ["Alpha/Text.cs"] = """""
                namespace Archives.Gateway.Alpha;
                // using Archives.Gateway.Beta;
                /* Archives.Gateway.Beta.Two */
                /// <see cref="Beta.Two"/>
                internal static class Text
                {
                    public const string Meter = "Archives.Gateway.Beta";
                    public static readonly string Escaped = "\" Beta.Two \"", Verbatim = @"Beta.Two "" Beta.Two", Raw = """"Beta.Two """ Beta.Two"""";
                    public static readonly char Quote = '"', Apostrophe = '\'';
                    public static string Format(int n) => $"{n} Beta.Two {{Beta.Two}}" + $$"""{ "n": {{n}}, "t": "Beta.Two" }""";
                }
                """"",
            ["Beta/Two.cs"] = """""
                namespace Archives.Gateway.Beta;
                internal static class Two
                {
                    public static string Name(int n) => $"{Gamma.Three.Name} {(n > 0 ? $@"{n}" : "")}";
                    public static string Json => $$"""{ "three": {{Archives.Gateway.Delta.Four.Name}} }""";
                }
                """"",
            ["Gamma/Three.cs"] = "namespace Archives.Gateway.Gamma;\ninternal static class Three { public const string Name = \"three\"; }",
            ["Delta/Four.cs"] = "namespace Archives.Gateway.Delta;\ninternal static class Four { public const string Name = \"four\"; }",
        });

        Assert.False(graph.Uses("Alpha", "Beta"));
        Assert.True(graph.Uses("Beta", "Gamma"));
        Assert.True(graph.Uses("Beta", "Delta"));
    }

    private static string? Namespace(string source)
        => FolderGraph.CodeOnly(source).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("namespace ", StringComparison.Ordinal)) is { } line
            ? line["namespace ".Length..].TrimEnd(';', ' ', '{')
            : null;
}
