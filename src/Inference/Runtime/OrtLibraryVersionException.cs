namespace Appliance.Inference.Runtime;

/// <summary>The ONNX Runtime library loaded, but it is older than the managed API it must serve.</summary>
public sealed class OrtLibraryVersionException : Exception
{
    public OrtLibraryVersionException()
    {
    }

    public OrtLibraryVersionException(string message)
        : base(message)
    {
    }

    public OrtLibraryVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
