namespace Appliance.Inference.Templates;

/// <summary>
/// A chat template could not be parsed or rendered. The message names the line and column and the construct,
/// e.g. "line 3, column 14: unknown filter 'foo'".
/// </summary>
public class TemplateException : Exception
{
    public TemplateException()
        : this("chat template error")
    {
    }

    public TemplateException(string message)
        : base(message)
    {
        Detail = message;
    }

    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
        Detail = message;
    }

    internal TemplateException(SourceLocation location, string detail)
        : base($"{location}: {detail}")
    {
        Line = location.Line;
        Column = location.Column;
        Detail = detail;
    }

    private protected TemplateException(SourceLocation location, string message, bool verbatim)
        : base(verbatim ? message : $"{location}: {message}")
    {
        Line = location.Line;
        Column = location.Column;
        Detail = message;
    }

    /// <summary>1-based line of the construct at fault, or 0 when not known.</summary>
    public int Line { get; }

    /// <summary>1-based column of the construct at fault, or 0 when not known.</summary>
    public int Column { get; }

    /// <summary>The message without the location prefix.</summary>
    public string Detail { get; }
}
