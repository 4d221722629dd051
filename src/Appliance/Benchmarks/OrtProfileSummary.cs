using System.Text.Json;

namespace Appliance.Benchmarks;

/// <summary>
/// Where decode time goes, from ONNX Runtime's profile (the JSON trace session profiling writes): each model_run is a
/// prefill or a decode step; a decode step is a run whose operators all see one position (every rank-3 first input
/// is [batch, 1, ...]; a gather's first input is its table, so gathers do not count). Kernel times are summed per operator type over the decode steps, and the rest of each run's
/// time is the framework's own (scheduling, thread-pool hand-offs, output binding).
/// </summary>
internal static class OrtProfileSummary
{
    public const string OutsideKernels = "(outside kernels)";

    /// <returns>Operators by decreasing time, then <see cref="OutsideKernels"/>; empty when the trace has no decode step.</returns>
    public static IReadOnlyList<OperatorTime> DecodeTime(string profilePath)
    {
        using var stream = File.OpenRead(profilePath);
        using var trace = JsonDocument.Parse(stream);
        var runs = new List<Run>();
        var kernels = new List<Kernel>();
        foreach (var e in trace.RootElement.EnumerateArray())
        {
            var category = e.TryGetProperty("cat", out var cat) ? cat.GetString() : null;
            var name = e.GetProperty("name").GetString() ?? string.Empty;
            var start = e.GetProperty("ts").GetInt64();
            var duration = e.GetProperty("dur").GetInt64();
            if (category == "Session" && name == "model_run")
            {
                runs.Add(new Run(start, duration));
            }
            else if (category == "Node" && name.EndsWith("_kernel_time", StringComparison.Ordinal) && e.TryGetProperty("args", out var args))
            {
                var op = args.GetProperty("op_name").GetString() ?? "?";
                kernels.Add(new Kernel(start, duration, op, op.StartsWith("Gather", StringComparison.Ordinal) ? null : FirstInputPositions(args)));
            }
        }

        return Summarize(runs, kernels);
    }

    private static List<OperatorTime> Summarize(List<Run> runs, List<Kernel> kernels)
    {
        runs.Sort((a, b) => a.Start.CompareTo(b.Start));
        kernels.Sort((a, b) => a.Start.CompareTo(b.Start));
        var perRun = new List<Kernel>[runs.Count];
        var next = 0;
        for (var r = 0; r < runs.Count; r++)
        {
            perRun[r] = [];
            while (next < kernels.Count && kernels[next].Start < runs[r].Start)
            {
                next++;
            }

            while (next < kernels.Count && kernels[next].Start <= runs[r].Start + runs[r].Duration)
            {
                perRun[r].Add(kernels[next++]);
            }
        }

        var byOperator = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0, inKernels = 0;
        var steps = 0;
        for (var r = 0; r < runs.Count; r++)
        {
            if (perRun[r].Count == 0 || perRun[r].Any(k => k.Positions is > 1))
            {
                continue; // a prefill (or a run without node events)
            }

            steps++;
            total += runs[r].Duration;
            foreach (var kernel in perRun[r])
            {
                byOperator[kernel.Operator] = byOperator.GetValueOrDefault(kernel.Operator) + kernel.Duration;
                inKernels += kernel.Duration;
            }
        }

        if (steps == 0)
        {
            return [];
        }

        List<OperatorTime> result = [.. byOperator
            .OrderByDescending(entry => entry.Value)
            .ThenBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => Time(entry.Key, entry.Value, steps, total))];
        result.Add(Time(OutsideKernels, Math.Max(0, total - inKernels), steps, total));
        return result;
    }

    private static OperatorTime Time(string name, long microseconds, int steps, long total) =>
        new(name, microseconds / 1000.0 / steps, total > 0 ? (double)microseconds / total : 0);

    // The sequence length a node sees: dimension 1 of its first input when that is rank 3 ([batch, sequence, features]).
    private static long? FirstInputPositions(JsonElement args)
    {
        if (!args.TryGetProperty("input_type_shape", out var inputs) || inputs.ValueKind != JsonValueKind.Array || inputs.GetArrayLength() == 0)
        {
            return null;
        }

        foreach (var typed in inputs[0].EnumerateObject())
        {
            if (typed.Value.ValueKind == JsonValueKind.Array && typed.Value.GetArrayLength() == 3)
            {
                return typed.Value[1].GetInt64();
            }
        }

        return null;
    }

    private readonly record struct Run(long Start, long Duration);

    private readonly record struct Kernel(long Start, long Duration, string Operator, long? Positions);
}
