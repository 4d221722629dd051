using System.Text;

namespace Appliance.Inference.Templates;

/// <summary><c>{% filter name(args) %}...{% endfilter %}</c>: renders the body, then filters the text.</summary>
internal sealed class FilterBlockStatement(SourceLocation location, string name, List<Argument> arguments, List<Statement> body)
    : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output)
    {
        var text = new StringValue(Capture(body, scope, state));
        try
        {
            TemplateFilters.Apply(name, text, Argument.EvaluateAll(arguments, scope, state)).WriteTo(output);
        }
        catch (TemplateRuntimeError error)
        {
            throw error.At(Location);
        }

        return Flow.Normal;
    }
}
