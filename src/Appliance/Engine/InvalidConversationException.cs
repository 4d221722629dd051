namespace Appliance.Engine;

/// <summary>The model's chat template refused the conversation (e.g. roles that do not alternate): a `bad_request`.</summary>
public sealed class InvalidConversationException : Exception
{
    public InvalidConversationException()
    {
    }

    public InvalidConversationException(string message)
        : base(message)
    {
    }

    public InvalidConversationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
