namespace Appliance.Gpio;

/// <summary>
/// A GPIO operation failed. The message names the chip (and line) and, for system call failures, carries strerror's
/// text with the errno name; <see cref="Errno"/> keeps the number (0 when the failure did not come from the kernel).
/// </summary>
public sealed class GpioException : IOException
{
    public GpioException()
    {
    }

    public GpioException(string message)
        : base(message)
    {
    }

    public GpioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public GpioException(string message, int errno)
        : base(message) => Errno = errno;

    public int Errno { get; }

    /// <summary>"&lt;subject&gt;: &lt;action&gt; failed: &lt;strerror&gt; (&lt;ENAME&gt;)[: hint]".</summary>
    public static GpioException FromErrno(string subject, string action, int errno, string? hint = null)
    {
        var message = $"{subject}: {action} failed: {Gpio.Errno.Describe(errno)}";
        return new GpioException(hint is null ? message : $"{message}: {hint}", errno);
    }
}
