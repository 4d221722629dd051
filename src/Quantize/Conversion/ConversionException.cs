namespace Appliance.Quantize.Conversion;

/// <summary>The checkpoint cannot be converted as asked; the message names the file, field or tensor and value.</summary>
internal sealed class ConversionException : Exception
{
    public ConversionException()
    {
    }

    public ConversionException(string message)
        : base(message)
    {
    }

    public ConversionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
