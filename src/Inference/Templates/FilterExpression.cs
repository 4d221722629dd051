namespace Appliance.Inference.Templates;

/// <summary><c>operand | name(arguments)</c>.</summary>
internal sealed class FilterExpression(SourceLocation location, Expression operand, string name, List<Argument> arguments)
    : Expression(location)
{
    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        var value = operand.Evaluate(scope, state);
        return TemplateFilters.Apply(name, value, Argument.EvaluateAll(arguments, scope, state));
    }
}
