using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// <c>{% call(params) macro(args) %}body{% endcall %}</c>: calls the macro with <c>caller</c> bound to a function
/// that renders the body, and writes what the macro returns.
/// </summary>
internal sealed class CallBlockStatement(
    SourceLocation location, CallExpression call, MacroSignature callerSignature, List<Statement> body)
    : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output)
    {
        var caller = new FunctionValue(
            "caller",
            (arguments, _, callState) => callerSignature.Run(body, arguments, scope, callState));
        var arguments = Argument.EvaluateAll(call.Arguments, scope, state);
        var callee = call.Callee.Evaluate(scope, state);
        var callScope = new Scope(scope);
        callScope.Set("caller", caller);
        try
        {
            call.Invoke(callee, arguments, callScope, state).WriteTo(output);
        }
        catch (TemplateRuntimeError error)
        {
            throw error.At(call.Location);
        }

        return Flow.Normal;
    }
}
