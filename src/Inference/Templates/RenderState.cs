namespace Appliance.Inference.Templates;

/// <summary>What one render carries besides variables: the clock for strftime_now and the macro call depth.</summary>
internal sealed class RenderState(TimeProvider clock)
{
    /// <summary>Deep enough for any real template; shallow enough that a runaway recursive macro cannot overflow the stack.</summary>
    public const int MaxCallDepth = 64;

    public TimeProvider Clock { get; } = clock;

    public int CallDepth { get; private set; }

    public void EnterCall(string name)
    {
        if (CallDepth >= MaxCallDepth)
        {
            throw new TemplateRuntimeError($"calls nested deeper than {MaxCallDepth} (runaway recursion in '{name}'?)");
        }

        CallDepth++;
    }

    public void ExitCall() => CallDepth--;
}
