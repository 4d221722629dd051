using Appliance.State;

namespace Appliance.Panel;

/// <summary>
/// What the three status LEDs (or the RGB LED's green, blue and red) show for a service status:
/// starting = busy fast blink, loading = busy slow blink, ready = ready solid, busy = ready and busy solid,
/// error = error LED blinks a code, offline = ready heartbeat.
/// </summary>
public sealed record PanelIndication(LedPattern Ready, LedPattern Busy, LedPattern Error)
{
    /// <summary>Error code 1: the service is in error with a model loaded (a runtime failure).</summary>
    public const int ErrorCodeServiceFailure = 1;

    /// <summary>Error code 2: the service is in error with no model loaded (missing, corrupt or failed to load).</summary>
    public const int ErrorCodeNoModel = 2;

    private static readonly LedPattern ServiceFailure = LedPattern.ErrorCode(ErrorCodeServiceFailure);
    private static readonly LedPattern NoModel = LedPattern.ErrorCode(ErrorCodeNoModel);

    public static PanelIndication AllOff { get; } = new(LedPattern.Off, LedPattern.Off, LedPattern.Off);

    public static PanelIndication For(ServiceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status.State switch
        {
            ServiceState.Starting => new(LedPattern.Off, LedPattern.FastBlink, LedPattern.Off),
            ServiceState.Loading => new(LedPattern.Off, LedPattern.SlowBlink, LedPattern.Off),
            ServiceState.Ready => new(LedPattern.Solid, LedPattern.Off, LedPattern.Off),
            ServiceState.Busy => new(LedPattern.Solid, LedPattern.Solid, LedPattern.Off),
            ServiceState.Error => new(LedPattern.Off, LedPattern.Off, status.Model is null ? NoModel : ServiceFailure),
            ServiceState.Offline => new(LedPattern.Heartbeat, LedPattern.Off, LedPattern.Off),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status.State, "Unknown service state."),
        };
    }

    public LedPattern this[PanelRole role] => role switch
    {
        PanelRole.ReadyLed => Ready,
        PanelRole.BusyLed => Busy,
        PanelRole.ErrorLed => Error,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not an LED role."),
    };
}
