using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>How a statement ended: normally, or by <c>break</c>/<c>continue</c> travelling up to its loop.</summary>
internal enum Flow
{
    Normal,
    Break,
    Continue,
}

/// <summary>A node that writes output: text, <c>{{ ... }}</c>, or a <c>{% ... %}</c> block.</summary>
internal abstract class Statement(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    public abstract Flow Execute(Scope scope, RenderState state, StringBuilder output);

    /// <summary>Runs statements in order until one breaks or continues a loop.</summary>
    public static Flow ExecuteAll(List<Statement> statements, Scope scope, RenderState state, StringBuilder output)
    {
        foreach (var statement in statements)
        {
            var flow = statement.Execute(scope, state, output);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    /// <summary>Renders statements into a string of their own (macro bodies, block set, filter blocks).</summary>
    public static string Capture(List<Statement> statements, Scope scope, RenderState state)
    {
        var output = new StringBuilder();
        ExecuteAll(statements, scope, state, output);
        return output.ToString();
    }
}
