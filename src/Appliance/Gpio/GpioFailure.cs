using System.Device.Gpio.Drivers;

namespace Appliance.Gpio;

/// <summary>
/// Turns what System.Device.Gpio throws when hardware or its native library is missing into a <see cref="GpioException"/>
/// with a message a user can act on. Only failures of the machine are caught; a programming error still surfaces.
/// </summary>
public static class GpioFailure
{
    /// <summary>
    /// Runs <paramref name="action"/>, rethrowing a machine failure as "&lt;subject&gt;: &lt;what went wrong&gt;" (just the
    /// latter without a subject, where the caller's message already names the line).
    /// </summary>
    public static T Guard<T>(string? subject, Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (Exception ex) when (IsMachineFailure(ex))
        {
            throw new GpioException(subject is null ? Describe(ex) : $"{subject}: {Describe(ex)}", ex);
        }
    }

    public static void Guard(string? subject, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Guard(subject, () =>
        {
            action();
            return true;
        });
    }

    /// <summary>Whether <paramref name="ex"/> says something about the machine (a missing library, chip, line or permission).</summary>
    public static bool IsMachineFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or DllNotFoundException or PlatformNotSupportedException
            or InvalidOperationException or ArgumentOutOfRangeException;

    /// <summary>One line: what the library reported, with the install hint when libgpiod itself is missing.</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        if (ex is GpioException)
        {
            return ex.Message;
        }

        // LibGpiodDriver says "driver not installed" (PlatformNotSupportedException) or fails to load libgpiod.so.2;
        // LibGpiodV2Driver wraps the failed load of libgpiod.so.3 in a GpiodException.
        var missing = ex as DllNotFoundException ?? ex.InnerException as DllNotFoundException;
        if (missing is not null || (ex is PlatformNotSupportedException && ex.Message.Contains("Libgpiod", StringComparison.OrdinalIgnoreCase)))
        {
            return (missing?.Message ?? "").Contains("libgpiod.so.3", StringComparison.Ordinal)
                ? "libgpiod 2.x is not installed (libgpiod.so.3 could not be loaded; install the package libgpiod3, or set Panel:Driver to Libgpiod for libgpiod 1.x)"
                : "libgpiod is not installed (libgpiod.so.2 could not be loaded; install the package libgpiod2)";
        }

        return ex is GpiodException && ex.InnerException is { } inner ? $"{ex.Message}: {inner.Message}" : ex.Message;
    }
}
