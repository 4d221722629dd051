using System.Text;

namespace Appliance.Inference.Templates;

/// <summary><c>{% set target = value %}</c>, or the block form <c>{% set target %}...{% endset %}</c>.</summary>
internal sealed class SetStatement(SourceLocation location, Expression target, Expression? value, List<Statement> body)
    : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output)
    {
        var result = value is null ? new StringValue(Capture(body, scope, state)) : value.Evaluate(scope, state);
        Assignment.Assign(target, result, scope, state);
        return Flow.Normal;
    }
}
