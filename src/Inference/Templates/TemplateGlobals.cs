namespace Appliance.Inference.Templates;

/// <summary>The functions every template sees: namespace, range, raise_exception and strftime_now.</summary>
internal static class TemplateGlobals
{
    /// <summary>The largest list range() builds; real templates count messages, not millions.</summary>
    public const int MaxRangeLength = 1_000_000;

    /// <summary>Shared by every render: nothing writes here, since <c>set</c> writes to the render's own scope.</summary>
    public static readonly Scope Scope = CreateScope();

    private static Scope CreateScope()
    {
        var scope = new Scope(null);
        scope.Set("namespace", new FunctionValue("namespace", (arguments, _, _) => Namespace(arguments)));
        scope.Set("range", new FunctionValue("range", (arguments, _, _) => Range(arguments)));
        scope.Set("raise_exception", new FunctionValue("raise_exception", (arguments, _, _) => Raise(arguments)));
        scope.Set("strftime_now", new FunctionValue("strftime_now", (arguments, _, state) => StrftimeNow(arguments, state)));
        return scope;
    }

    /// <summary><c>namespace(mapping_or_pairs?, **attributes)</c>.</summary>
    private static NamespaceValue Namespace(CallArguments arguments)
    {
        var ns = new NamespaceValue();
        switch (arguments.Positional)
        {
            case []:
                break;
            case [DictValue dict]:
                foreach (var (key, value) in dict.Entries)
                {
                    ns.Attributes[key] = value;
                }

                break;
            case [ListValue pairs]:
                foreach (var pair in pairs.Items)
                {
                    if (pair is not ListValue { Items: [StringValue key, var value] })
                    {
                        throw new TemplateRuntimeError("namespace() needs a dict or a list of [key, value] pairs");
                    }

                    ns.Attributes[key.Value] = value;
                }

                break;
            default:
                throw new TemplateRuntimeError("namespace() takes at most one positional argument: a dict or a list of pairs");
        }

        foreach (var (key, value) in arguments.Keywords)
        {
            ns.Attributes[key] = value;
        }

        return ns;
    }

    /// <summary>Python's range(stop) / range(start, stop[, step]).</summary>
    private static ListValue Range(CallArguments arguments)
    {
        arguments.Expect("range()", 3);
        var numbers = arguments.Positional.Select(value => value is IntValue i
            ? i.Value
            : throw new TemplateRuntimeError($"range() needs integers, got {value.TypeName}")).ToArray();
        var (start, stop, step) = numbers switch
        {
            [var end] => (0L, end, 1L),
            [var from, var end] => (from, end, 1L),
            [var from, var end, var by] => (from, end, by),
            _ => throw new TemplateRuntimeError("range() needs 1 to 3 integers"),
        };
        if (step == 0)
        {
            throw new TemplateRuntimeError("range() step must not be zero");
        }

        var count = (long)Math.Max(0, Math.Ceiling(((double)stop - start) / step));
        if (count > MaxRangeLength)
        {
            throw new TemplateRuntimeError($"range() of {count} numbers is longer than the {MaxRangeLength} allowed");
        }

        var items = new List<TemplateValue>((int)count);
        for (var i = 0L; i < count; i++)
        {
            items.Add(new IntValue(start + (i * step)));
        }

        return new ListValue(items);
    }

    private static TemplateValue Raise(CallArguments arguments)
    {
        var message = arguments.Get(0, "message")?.ConcatText ?? "raise_exception() called";
        throw new TemplateRuntimeError(message) { RaisedByTemplate = true };
    }

    private static StringValue StrftimeNow(CallArguments arguments, RenderState state)
    {
        arguments.Expect("strftime_now()", 1);
        if (arguments.Get(0, "format") is not StringValue format)
        {
            throw new TemplateRuntimeError("strftime_now() needs a format string");
        }

        return new StringValue(Strftime.Format(state.Clock.GetLocalNow(), format.Value));
    }
}
