namespace Appliance.State;

/// <summary>What the appliance is doing, as published on the status topic, shown on the panel and sent to systemd.</summary>
public enum ServiceState
{
    Starting,
    Loading,
    Ready,
    Busy,
    Error,
    Offline,
}
