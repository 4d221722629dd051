using System.Collections.Immutable;

namespace Appliance.State;

/// <summary>
/// One observation of the appliance: its state, the model it serves (null before one is loaded), and a human-readable
/// detail (why it is in error, what it is loading).
/// </summary>
public sealed record ServiceStatus(ServiceState State, string? Model, string? Detail)
{
    /// <summary>
    /// Problems of parts beside the request path (e.g. "panel": a GPIO line that cannot be opened), by part. The
    /// service keeps serving with them, so they live apart from <see cref="State"/> and survive its detail changes.
    /// </summary>
    public ImmutableSortedDictionary<string, string> Problems { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
