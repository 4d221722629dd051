namespace Appliance.Inference.Templates;

/// <summary><c>a if test else b</c>; without <c>else</c> a false test gives undefined.</summary>
internal sealed class ConditionalExpression(
    SourceLocation location, Expression test, Expression whenTrue, Expression? whenFalse)
    : Expression(location)
{
    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        if (test.Evaluate(scope, state).IsTruthy)
        {
            return whenTrue.Evaluate(scope, state);
        }

        return whenFalse is null ? UndefinedValue.Instance : whenFalse.Evaluate(scope, state);
    }
}
