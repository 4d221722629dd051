namespace Appliance.Cli;

/// <summary>A command-line value that parses but makes no sense (e.g. conflicting options); reported as one line.</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
