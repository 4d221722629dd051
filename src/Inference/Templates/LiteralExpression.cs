namespace Appliance.Inference.Templates;

/// <summary>A constant: string, number, true/false/none. Values are immutable, so one instance serves every render.</summary>
internal sealed class LiteralExpression(SourceLocation location, TemplateValue value) : Expression(location)
{
    protected override TemplateValue EvaluateCore(Scope scope, RenderState state) => value;
}
