namespace Appliance.Inference.Templates;

/// <summary><c>target[key]</c> (also <c>target.0</c>): a list or string index (negative counts from the end) or a dict key.</summary>
internal sealed class IndexExpression(SourceLocation location, Expression target, Expression key) : Expression(location)
{
    public override string? Describe() => target.Describe() is { } described ? $"{described}[...]" : null;

    protected override TemplateValue EvaluateCore(Scope scope, RenderState state) =>
        ValueAccess.GetItem(target.Evaluate(scope, state), key.Evaluate(scope, state));
}
