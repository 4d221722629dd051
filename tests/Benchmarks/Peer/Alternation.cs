namespace Appliance.Benchmarks.Peer;

/// <summary>
/// Runs every engine once per round, always in the same order (ABAB...), so a busy spell on a shared machine falls on
/// both engines alike instead of on whichever happened to run during it.
/// </summary>
internal static class Alternation
{
    /// <param name="completed">Told each run as it finishes: round (from 1), engine, its figures.</param>
    /// <returns>Each engine's runs, in the order of <paramref name="engines"/>.</returns>
    public static IReadOnlyList<EngineRun>[] Run<TEngine>(
        IReadOnlyList<TEngine> engines, int rounds, Func<TEngine, EngineRun> runOnce, Action<int, TEngine, EngineRun>? completed = null)
    {
        ArgumentNullException.ThrowIfNull(engines);
        ArgumentNullException.ThrowIfNull(runOnce);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rounds);
        var runs = engines.Select(_ => new List<EngineRun>(rounds)).ToArray();
        for (var round = 1; round <= rounds; round++)
        {
            for (var e = 0; e < engines.Count; e++)
            {
                var run = runOnce(engines[e]);
                runs[e].Add(run);
                completed?.Invoke(round, engines[e], run);
            }
        }

        return runs;
    }
}
