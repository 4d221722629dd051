namespace Appliance.Inference.Native;

/// <summary>An error status returned by ONNX Runtime; the message is ONNX Runtime's own.</summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    public OrtErrorCode Code { get; }
}
