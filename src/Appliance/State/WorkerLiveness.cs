namespace Appliance.State;

/// <summary>
/// Whether the generation worker is alive: it is when idle (waiting for work) or when it made progress (a token,
/// a state change) within the stall limit. The systemd watchdog pings only while this says healthy, so a hung
/// worker gets the service restarted.
/// </summary>
public sealed class WorkerLiveness(TimeProvider timeProvider)
{
    private long _lastProgressTimestamp = timeProvider.GetTimestamp();
    private int _idle = 1;

    /// <summary>The worker is waiting for work; waiting is healthy however long it lasts.</summary>
    public void MarkIdle()
    {
        Volatile.Write(ref _lastProgressTimestamp, timeProvider.GetTimestamp());
        Volatile.Write(ref _idle, 1);
    }

    /// <summary>The worker is working and just made progress. Called per token: it allocates nothing.</summary>
    public void MarkProgress()
    {
        Volatile.Write(ref _lastProgressTimestamp, timeProvider.GetTimestamp());
        Volatile.Write(ref _idle, 0);
    }

    public bool IsIdle => Volatile.Read(ref _idle) == 1;

    /// <summary>How long since the worker last made progress (or went idle).</summary>
    public TimeSpan SinceLastProgress => timeProvider.GetElapsedTime(Volatile.Read(ref _lastProgressTimestamp));

    public bool IsHealthy(TimeSpan stallLimit) => IsIdle || SinceLastProgress <= stallLimit;
}
