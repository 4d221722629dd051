using System.Text;

namespace Appliance.Inference.Templates;

/// <summary><c>{% if %}</c>; an <c>elif</c> chain is an if nested in the else branch.</summary>
internal sealed class IfStatement(SourceLocation location, Expression test, List<Statement> body, List<Statement> orElse)
    : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output) =>
        ExecuteAll(test.Evaluate(scope, state).IsTruthy ? body : orElse, scope, state, output);
}
