namespace Appliance.Inference.Templates;

/// <summary><c>operand is [not] name(arguments)</c>.</summary>
internal sealed class TestExpression(
    SourceLocation location, Expression operand, string name, bool negate, List<Argument> arguments)
    : Expression(location)
{
    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        var value = operand.Evaluate(scope, state);
        var result = TemplateTests.Apply(name, value, Argument.EvaluateAll(arguments, scope, state));
        return BoolValue.Of(result != negate);
    }
}
