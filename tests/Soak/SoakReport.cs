using System.Globalization;

namespace Appliance.Soak;

/// <summary>The figures of one soak run, printed as a small table.</summary>
internal sealed record SoakReport(SoakSettings Settings, SoakLedger Ledger, BrokerRecovery? Recovery, TimeSpan SendingTime, int? ServiceExitCode)
{
    public int Lost => Ledger.Sent - Ledger.Answered;

    /// <summary>When the lost requests were sent, relative to the broker kill: in flight then, or not.</summary>
    private string LostWhen()
    {
        var times = Ledger.UnansweredSendTimes();
        if (times.Count == 0 || Recovery is not { } recovery)
        {
            return string.Empty;
        }

        string Relative(TimeSpan time) => ((time - recovery.KilledAt).TotalMilliseconds).ToString("+0;-0", CultureInfo.InvariantCulture) + " ms";
        return $" (sent between {Relative(times[0])} and {Relative(times[^1])} from the broker kill)";
    }

    public void Print(TextWriter output)
    {
        string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture) + " ms";
        var outcomes = string.Join(", ", Ledger.Outcomes.OrderByDescending(pair => pair.Value).Select(pair => $"{pair.Key} {pair.Value}"));
        output.WriteLine($"soak: {Settings.Clients} clients, max_tokens {Settings.MaxTokens}, request timeout {Settings.RequestTimeout.TotalSeconds:F0} s");
        output.WriteLine($"  requests sent          {Ledger.Sent}");
        output.WriteLine($"  answered               {Ledger.Answered} ({outcomes})");
        output.WriteLine($"  lost                   {Lost}{LostWhen()}");
        output.WriteLine($"  duplicated             {Ledger.Duplicates}");
        output.WriteLine($"  unexpected ids         {Ledger.Unknown}");
        output.WriteLine($"  latency p50 / p99      {Ms(Ledger.Percentile(0.50))} / {Ms(Ledger.Percentile(0.99))}");
        output.WriteLine($"  throughput             {(Ledger.Answered / SendingTime.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture)} answers/s over {SendingTime.TotalSeconds:F1} s");
        if (Recovery is { } recovery)
        {
            output.WriteLine($"  broker restart         after request {recovery.SentBefore}: down {Ms(recovery.Downtime)}; service status ready again {Ms(recovery.StatusReady)} after the broker was back; first answer to a new request after {(recovery.FirstAnswer is { } first ? Ms(first) : "never")}");
        }

        output.WriteLine($"  service exit on SIGTERM {(ServiceExitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : "none (still running)")}");
    }
}
