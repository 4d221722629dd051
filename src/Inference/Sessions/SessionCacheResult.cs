namespace Appliance.Inference.Sessions;

/// <summary>What the session cache did, and why when it could not help (a rebuilt entry, an unwritable directory).</summary>
public sealed record SessionCacheResult(SessionCacheOutcome Outcome, string? Problem = null)
{
    public static SessionCacheResult Off { get; } = new(SessionCacheOutcome.Off);
}
