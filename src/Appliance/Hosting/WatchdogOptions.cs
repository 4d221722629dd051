namespace Appliance.Hosting;

/// <summary>When the systemd watchdog stops being fed: after the generation worker makes no progress for this long.</summary>
public sealed class WatchdogOptions
{
    public const string SectionName = "Watchdog";

    /// <summary>
    /// Seconds without a token or a state change while working. Generous by default: prefilling a long prompt on a slow
    /// board is one step that may take tens of seconds.
    /// </summary>
    public double StallLimitSeconds { get; set; } = 120;

    private const double MaximumStallLimitSeconds = 86_400;

    public IEnumerable<string> Validate()
    {
        if (!(StallLimitSeconds > 0 && StallLimitSeconds <= MaximumStallLimitSeconds))
        {
            yield return FormattableString.Invariant($"{SectionName}:StallLimitSeconds must be > 0 and at most {MaximumStallLimitSeconds} (a day), got {StallLimitSeconds}");
        }
    }
}
