using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>Template text outside tags, written as it is.</summary>
internal sealed class TextStatement(SourceLocation location, string text) : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output)
    {
        output.Append(text);
        return Flow.Normal;
    }
}
