using Archives.Benchmarks;

// One command per benchmark; add new ones to this table.
var commands = new Dictionary<string, (string Description, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["node-search"] = ("Catalogue search on a seeded node (100,000 entries): latency percentiles per query kind.", NodeSearchBenchmark.RunAsync),
    ["fan-out"] = ("Federated search over 100 and 400 simulated nodes answering in 20 ms; cache hits; 10 % hanging.", FanOutBenchmark.RunAsync),
};

if (args.Length == 0 || !commands.TryGetValue(args[0], out var command))
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Archives.Benchmarks -- COMMAND [options]");
    foreach (var (name, (description, _)) in commands)
    {
        Console.Error.WriteLine($"  {name,-14} {description}");
    }

    return 2;
}

return await command.Run(args[1..]);
