namespace Appliance.Service;

/// <summary>
/// One observation of the appliance: its state, the model it serves (null before one is loaded), and a human-readable
/// detail (why it is in error, what it is loading).
/// </summary>
public sealed record ServiceStatus(ServiceState State, string? Model, string? Detail);
