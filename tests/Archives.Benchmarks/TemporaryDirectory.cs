namespace Archives.Benchmarks;

/// <summary>A folder of its own in the temp folder for one part's files (registry, configuration), deleted at the end.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("archives-bench-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
