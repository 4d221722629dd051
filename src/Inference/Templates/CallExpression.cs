namespace Appliance.Inference.Templates;

/// <summary><c>callee(arguments)</c>: a global, a macro, <c>caller()</c> or a string/dict method.</summary>
internal sealed class CallExpression(SourceLocation location, Expression callee, List<Argument> arguments)
    : Expression(location)
{
    public Expression Callee { get; } = callee;

    public List<Argument> Arguments { get; } = arguments;

    public override string? Describe() => Callee.Describe() is { } callee ? $"{callee}()" : null;

    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        var arguments = Argument.EvaluateAll(Arguments, scope, state);
        var function = Callee.Evaluate(scope, state);
        return Invoke(function, arguments, scope, state);
    }

    /// <summary>Calls <paramref name="function"/> with the caller's scope (macros see it, as in the reference).</summary>
    public TemplateValue Invoke(TemplateValue function, CallArguments arguments, Scope scope, RenderState state)
    {
        if (function is not FunctionValue callable)
        {
            throw new TemplateRuntimeError(Callee.Describe() is { } name
                ? $"'{name}' is {function.TypeName}, not something that can be called"
                : $"{function.TypeName} is not something that can be called");
        }

        return callable.Invoke(arguments, scope, state);
    }
}
