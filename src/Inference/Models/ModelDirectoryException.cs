namespace Appliance.Inference.Models;

/// <summary>
/// A model directory cannot be used: a file is missing, malformed, tampered with or inconsistent.
/// The message names the file and what is wrong with it.
/// </summary>
public sealed class ModelDirectoryException : Exception
{
    public ModelDirectoryException()
    {
    }

    public ModelDirectoryException(string message)
        : base(message)
    {
    }

    public ModelDirectoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
