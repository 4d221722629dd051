namespace Appliance.Gpio;

/// <summary>Which System.Device.Gpio driver reaches the chips (configuration Panel:Driver).</summary>
public enum GpioDriverKind
{
    /// <summary>The library's LibGpiodDriver over libgpiod 1.x (libgpiod.so.2; Debian, Raspberry Pi OS, Ubuntu package libgpiod2).</summary>
    Libgpiod,

    /// <summary>The library's LibGpiodV2Driver over libgpiod 2.x (libgpiod.so.3; e.g. Debian 13's package libgpiod3).</summary>
    LibgpiodV2,

    /// <summary>The library's SysFsDriver over the deprecated /sys/class/gpio, for kernels built without the character device.</summary>
    Sysfs,
}
