using System.Text;

namespace Appliance.Inference.Templates;

/// <summary><c>{% break %}</c> or <c>{% continue %}</c> (the parser only accepts them inside a for loop).</summary>
internal sealed class LoopControlStatement(SourceLocation location, Flow flow) : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output) => flow;
}
