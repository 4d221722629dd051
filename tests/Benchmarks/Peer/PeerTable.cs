using System.Globalization;

namespace Appliance.Benchmarks.Peer;

/// <summary>Formats a <see cref="PeerComparison"/>: what ran, then both engines' figures side by side, median [min, max].</summary>
internal static class PeerTable
{
    private static readonly (string Name, Func<EngineRun, double> Value)[] Metrics =
    [
        ("prefill (tokens/s)", run => run.PrefillTokensPerS),
        ("decode (tokens/s)", run => run.DecodeTokensPerS),
        ("decode step median (us)", run => run.DecodeStepMedianMs * 1000),
        ("TTFT (ms)", run => run.TtftMs),
        ("peak RSS (MiB)", run => run.PeakRssBytes / 1048576.0),
    ];

    public static string Format(PeerComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var workload = comparison.Workload;
        (string Name, string Value)[] header =
        [
            ("model", workload.ModelPath),
            ("workload", Invariant($"{workload.Threads} threads, prompt {workload.PromptTokens} tokens, {workload.GenTokens} generated; {comparison.OurRuns.Count} rounds ABAB, one process per run (own warm-up, own peak RSS)")),
            (comparison.Ours.Name, Describe(comparison.Ours, comparison.OurRuns)),
            (comparison.Peer.Name, Describe(comparison.Peer, comparison.PeerRuns)),
        ];
        var headerWidth = header.Max(row => row.Name.Length);
        var lines = header.Select(row => $"{row.Name.PadRight(headerWidth)}  {row.Value}").ToList();
        lines.Add(string.Empty);

        string[][] table =
        [
            ["", comparison.Ours.Name, comparison.Peer.Name, $"{comparison.Ours.Name} / {comparison.Peer.Name}"],
            .. Metrics.Select(metric => Row(metric.Name, Spread.Of(comparison.OurRuns.Select(metric.Value)), Spread.Of(comparison.PeerRuns.Select(metric.Value)))),
        ];
        var widths = Enumerable.Range(0, table[0].Length).Select(column => table.Max(row => row[column].Length)).ToArray();
        lines.AddRange(table.Select(row => string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd()));
        lines.Add("median [min, max] over the rounds; the last column divides the medians");
        return string.Join(Environment.NewLine, lines);
    }

    private static string[] Row(string name, Spread ours, Spread peer) =>
        [name, Cell(ours), Cell(peer), Invariant($"{ours.Median / peer.Median:F2}")];

    private static string Cell(Spread spread) => Invariant($"{spread.Median:F1} [{spread.Min:F1}, {spread.Max:F1}]");

    private static string Describe(PeerEngine engine, IReadOnlyList<EngineRun> runs)
    {
        var program = engine.Program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? $"dotnet {engine.Program}" : engine.Program;
        var runtimes = string.Join("; ", runs.Select(run => run.Runtime).Distinct());
        return $"{program} {engine.Arguments[0]} (on {runtimes})";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
