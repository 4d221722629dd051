using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// <c>{% macro name(params) %}...{% endmacro %}</c> defines a callable returning its rendered body. As in the
/// reference, the body runs in a scope under the caller's, so it also sees the caller's variables.
/// </summary>
internal sealed class MacroStatement(SourceLocation location, MacroSignature signature, List<Statement> body)
    : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output)
    {
        scope.Set(signature.Name, new FunctionValue(
            signature.Name,
            (arguments, callerScope, callState) => signature.Run(body, arguments, callerScope, callState)));
        return Flow.Normal;
    }
}
