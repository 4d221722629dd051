namespace Appliance.Tests.Gpio;

/// <summary>A scripted edge in logical terms: <see cref="Rising"/> makes the line active (an active-low button: pressed).</summary>
internal enum GpioEdgeKind
{
    Rising,
    Falling,
}
