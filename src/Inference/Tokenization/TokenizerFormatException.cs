namespace Appliance.Inference.Tokenization;

/// <summary>
/// A tokenizer file cannot be used: it is malformed, or it asks for a component or option this implementation
/// does not provide. The message names the file, the JSON field and the offending value.
/// </summary>
public sealed class TokenizerFormatException : Exception
{
    public TokenizerFormatException()
    {
    }

    public TokenizerFormatException(string message)
        : base(message)
    {
    }

    public TokenizerFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
