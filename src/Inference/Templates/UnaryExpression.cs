namespace Appliance.Inference.Templates;

/// <summary><c>not x</c>, <c>-x</c> or <c>+x</c>.</summary>
internal sealed class UnaryExpression(SourceLocation location, string op, Expression operand) : Expression(location)
{
    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        var value = operand.Evaluate(scope, state);
        return op == "not" ? BoolValue.Of(!value.IsTruthy) : TemplateOperators.Sign(op, value);
    }
}
