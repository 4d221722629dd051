namespace Appliance.Inference.Sessions;

/// <summary>What <see cref="OptimizedModelCache"/> did for one session.</summary>
public enum SessionCacheOutcome
{
    /// <summary>No cache configured (or not applicable: no manifest, a GPU provider): the session was built from the model directory.</summary>
    Off,

    /// <summary>The cached graph and prepacked weights were verified and loaded.</summary>
    Hit,

    /// <summary>No entry for this model, runtime and machine: the session was built and its optimised graph saved.</summary>
    Built,

    /// <summary>The entry was corrupt (hash mismatch, truncated, unreadable): it was deleted and built again.</summary>
    Rebuilt,

    /// <summary>The cache directory could not be written: the session was built from the model directory alone.</summary>
    Unwritable,
}
