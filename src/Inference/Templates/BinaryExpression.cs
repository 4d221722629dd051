namespace Appliance.Inference.Templates;

/// <summary>
/// A binary operator. <c>and</c>/<c>or</c> short-circuit and return an operand, as in Python; the rest are in
/// <see cref="TemplateOperators"/>.
/// </summary>
internal sealed class BinaryExpression(SourceLocation location, string op, Expression left, Expression right)
    : Expression(location)
{
    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        var leftValue = left.Evaluate(scope, state);
        return op switch
        {
            "and" => leftValue.IsTruthy ? right.Evaluate(scope, state) : leftValue,
            "or" => leftValue.IsTruthy ? leftValue : right.Evaluate(scope, state),
            _ => TemplateOperators.Apply(op, leftValue, right.Evaluate(scope, state)),
        };
    }
}
