namespace Appliance.Inference.Templates;

/// <summary>
/// A node that evaluates to a value. Errors raised while evaluating it leave as a <see cref="TemplateException"/>
/// naming this node's line and column (the innermost failing node wins).
/// </summary>
internal abstract class Expression(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    public TemplateValue Evaluate(Scope scope, RenderState state)
    {
        try
        {
            return EvaluateCore(scope, state);
        }
        catch (TemplateRuntimeError error)
        {
            throw error.At(Location);
        }
    }

    /// <summary>How the expression reads in an error message, e.g. "message.content"; null for literals and operators.</summary>
    public virtual string? Describe() => null;

    protected abstract TemplateValue EvaluateCore(Scope scope, RenderState state);
}
