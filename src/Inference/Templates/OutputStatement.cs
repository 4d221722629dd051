using System.Text;

namespace Appliance.Inference.Templates;

/// <summary><c>{{ expression }}</c>: none and undefined write nothing, lists and dicts write JSON, as in the reference.</summary>
internal sealed class OutputStatement(SourceLocation location, Expression expression) : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output)
    {
        var value = expression.Evaluate(scope, state);
        try
        {
            value.WriteTo(output);
        }
        catch (TemplateRuntimeError error)
        {
            throw error.At(expression.Location);
        }

        return Flow.Normal;
    }
}
