namespace Appliance.Gpio;

/// <summary>
/// A GPIO operation failed: the message names the chip (and line) and says what went wrong in words a user can act on
/// (see <see cref="GpioFailure"/>); the library's own exception is kept as the inner exception.
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
}
