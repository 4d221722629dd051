namespace Appliance.State;

/// <summary>The lower-case names the MQTT contract uses for <see cref="ServiceState"/>.</summary>
public static class ServiceStateNames
{
    public static string ToWireName(this ServiceState state) => state switch
    {
        ServiceState.Starting => "starting",
        ServiceState.Loading => "loading",
        ServiceState.Ready => "ready",
        ServiceState.Busy => "busy",
        ServiceState.Error => "error",
        ServiceState.Offline => "offline",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown service state."),
    };
}
