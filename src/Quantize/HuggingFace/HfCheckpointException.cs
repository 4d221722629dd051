namespace Appliance.Quantize.HuggingFace;

/// <summary>A Hugging Face checkpoint file is missing, malformed or uses something the converter does not support.</summary>
public sealed class HfCheckpointException : Exception
{
    public HfCheckpointException()
    {
    }

    public HfCheckpointException(string message)
        : base(message)
    {
    }

    public HfCheckpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
