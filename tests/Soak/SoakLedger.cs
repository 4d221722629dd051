using System.Collections.Concurrent;
using System.Diagnostics;

namespace Appliance.Soak;

/// <summary>
/// Every request the clients sent and every final message that came back, on one monotonic clock: from it come the
/// counts of answered, lost and duplicated requests, the latencies, and when answers resumed after the broker restart.
/// </summary>
internal sealed class SoakLedger(int total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Answer> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _outcomes = new(StringComparer.Ordinal);
    private int _next = -1;
    private int _duplicates;
    private int _unknown;

    public TimeSpan Now => _clock.Elapsed;

    public int Sent => _sentAt.Count;

    public int Answered => _answers.Count;

    public int Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Final messages for ids this run never sent (should be none).</summary>
    public int Unknown => Volatile.Read(ref _unknown);

    public IReadOnlyDictionary<string, int> Outcomes => _outcomes;

    /// <summary>The next request number to send, or false when all <paramref name="total"/> are taken.</summary>
    public bool TryTakeNext(out int number)
    {
        number = Interlocked.Increment(ref _next);
        return number < total;
    }

    public void RecordSent(string id) => _sentAt[id] = _clock.ElapsedTicks;

    /// <summary>Records a final message; true when it is the first for <paramref name="id"/>.</summary>
    public bool RecordFinal(string id, string outcome)
    {
        var now = _clock.ElapsedTicks;
        if (!_sentAt.TryGetValue(id, out var sent))
        {
            Interlocked.Increment(ref _unknown);
            return false;
        }

        if (!_answers.TryAdd(id, new Answer(sent, now)))
        {
            Interlocked.Increment(ref _duplicates);
            return false;
        }

        _outcomes.AddOrUpdate(outcome, 1, static (_, count) => count + 1);
        return true;
    }

    public bool IsAnswered(string id) => _answers.ContainsKey(id);

    /// <summary>Latency percentile (0..1) over answered requests.</summary>
    public TimeSpan Percentile(double fraction)
    {
        var latencies = _answers.Values.Select(answer => answer.ReceivedTicks - answer.SentTicks).Order().ToArray();
        if (latencies.Length == 0)
        {
            return TimeSpan.Zero;
        }

        var index = Math.Clamp((int)Math.Ceiling(fraction * latencies.Length) - 1, 0, latencies.Length - 1);
        return Stopwatch.GetElapsedTime(0, latencies[index]);
    }

    /// <summary>When the requests that never got a final message were sent, on this ledger's clock.</summary>
    public IReadOnlyList<TimeSpan> UnansweredSendTimes() =>
        [.. _sentAt.Where(pair => !_answers.ContainsKey(pair.Key)).Select(pair => Stopwatch.GetElapsedTime(0, pair.Value)).Order()];

    /// <summary>The first answer to a request sent at or after <paramref name="since"/>, as a time on this ledger's clock.</summary>
    public TimeSpan? FirstAnswerToRequestSentAfter(TimeSpan since)
    {
        var sinceTicks = (long)(since.TotalSeconds * Stopwatch.Frequency);
        var first = _answers.Values.Where(answer => answer.SentTicks >= sinceTicks).Select(answer => answer.ReceivedTicks).DefaultIfEmpty(-1).Min();
        return first < 0 ? null : Stopwatch.GetElapsedTime(0, first);
    }

    private readonly record struct Answer(long SentTicks, long ReceivedTicks);
}
