namespace Appliance.Inference.Templates;

/// <summary>
/// Thrown by value operations that do not know where in the template they run; the expression that called them
/// catches it and rethrows it as a <see cref="TemplateException"/> carrying its own line and column.
/// </summary>
internal sealed class TemplateRuntimeError : Exception
{
    public TemplateRuntimeError()
    {
    }

    public TemplateRuntimeError(string message)
        : base(message)
    {
    }

    public TemplateRuntimeError(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the template's own raise_exception() threw this; its message is the template's text.</summary>
    public bool RaisedByTemplate { get; init; }

    /// <summary>The public exception for this error at <paramref name="location"/>.</summary>
    public TemplateException At(SourceLocation location) => RaisedByTemplate
        ? new TemplateRaisedException(location, Message)
        : new TemplateException(location, Message);
}
