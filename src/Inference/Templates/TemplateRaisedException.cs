namespace Appliance.Inference.Templates;

/// <summary>
/// The template itself called <c>raise_exception(message)</c>, typically to reject a conversation it cannot
/// format (roles out of order, unsupported content). The message is the template's own text, unchanged, so it
/// can be shown to whoever sent the conversation; <see cref="TemplateException.Line"/> says where it was raised.
/// </summary>
public sealed class TemplateRaisedException : TemplateException
{
    public TemplateRaisedException()
        : this("raise_exception called")
    {
    }

    public TemplateRaisedException(string message)
        : base(message)
    {
    }

    public TemplateRaisedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TemplateRaisedException(SourceLocation location, string message)
        : base(location, message, verbatim: true)
    {
    }
}
