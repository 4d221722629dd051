namespace Appliance.Inference.Runtime;

/// <summary>The loaded ONNX Runtime library cannot run the configured execution provider; nothing falls back silently.</summary>
public sealed class ExecutionProviderUnavailableException : Exception
{
    public ExecutionProviderUnavailableException()
    {
    }

    public ExecutionProviderUnavailableException(string message)
        : base(message)
    {
    }

    public ExecutionProviderUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
