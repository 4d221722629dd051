using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>Runs a callable: a global such as <c>range</c>, a bound string/dict method, a macro or <c>caller</c>.</summary>
internal delegate TemplateValue TemplateFunction(CallArguments arguments, Scope callerScope, RenderState state);

internal sealed class FunctionValue(string name, TemplateFunction body) : TemplateValue
{
    public string Name { get; } = name;

    internal override string TypeName => "function";

    public TemplateValue Invoke(CallArguments arguments, Scope callerScope, RenderState state) =>
        body(arguments, callerScope, state);

    internal override void WriteTo(StringBuilder output) =>
        throw new TemplateRuntimeError($"cannot render function '{Name}' as text; call it with ()");
}
