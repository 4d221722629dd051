namespace Appliance.Inference.Templates;

/// <summary><c>target[start:stop:step]</c> on a list or string, with Python's slice rules.</summary>
internal sealed class SliceExpression(
    SourceLocation location, Expression target, Expression? start, Expression? stop, Expression? step)
    : Expression(location)
{
    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        var value = target.Evaluate(scope, state);
        var startValue = Bound(start, scope, state, "start");
        var stopValue = Bound(stop, scope, state, "stop");
        var stepValue = Bound(step, scope, state, "step");
        return ValueAccess.Slice(value, startValue, stopValue, stepValue);
    }

    private static long? Bound(Expression? expression, Scope scope, RenderState state, string what)
    {
        var value = expression?.Evaluate(scope, state);
        return value switch
        {
            null or UndefinedValue or NoneValue => null,
            IntValue i => i.Value,
            _ => throw new TemplateRuntimeError($"slice {what} must be an integer, got {value.TypeName}"),
        };
    }
}
