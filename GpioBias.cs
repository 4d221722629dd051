namespace Appliance.Gpio;

/// <summary>
/// The pull resistor an input line asks for. System.Device.Gpio has pull-up, pull-down and plain input: both
/// <see cref="AsIs"/> and <see cref="Disabled"/> request plain input (the libgpiod driver leaves the bias as it is).
/// </summary>
public enum GpioBias
{
    AsIs,
    Disabled,
    PullUp,
    PullDown,
}
