namespace Appliance.Inference.Templates;

/// <summary>The Python dict methods templates call: <c>get</c>, <c>items</c>, <c>keys</c>, <c>values</c>.</summary>
internal static class DictMethods
{
    /// <summary>The method <paramref name="name"/> bound to <paramref name="dict"/>, or undefined.</summary>
    public static TemplateValue Bind(DictValue dict, string name) => name switch
    {
        "get" => new FunctionValue(name, (arguments, _, _) => Get(dict, arguments)),
        "items" => new FunctionValue(name, (arguments, _, _) => NoArguments(arguments, name, Items(dict))),
        "keys" => new FunctionValue(name, (arguments, _, _) => NoArguments(arguments, name, Keys(dict))),
        "values" => new FunctionValue(name, (arguments, _, _) => NoArguments(arguments, name, Values(dict))),
        _ => UndefinedValue.Instance,
    };

    public static ListValue Items(DictValue dict) =>
        new([.. dict.Entries.Select(entry => (TemplateValue)new ListValue([new StringValue(entry.Key), entry.Value]))]);

    public static ListValue Keys(DictValue dict) =>
        new([.. dict.Entries.Keys.Select(key => (TemplateValue)new StringValue(key))]);

    public static ListValue Values(DictValue dict) => new([.. dict.Entries.Values]);

    private static TemplateValue Get(DictValue dict, CallArguments arguments)
    {
        arguments.Expect("get()", 2, "key", "default");
        var fallback = arguments.Get(1, "default") ?? NoneValue.Instance;
        return arguments.Get(0, "key") switch
        {
            StringValue key => dict.Entries.TryGetValue(key.Value, out var value) ? value : fallback,
            null => throw new TemplateRuntimeError("get() needs a key"),
            _ => fallback,
        };
    }

    private static ListValue NoArguments(CallArguments arguments, string name, ListValue result)
    {
        arguments.Expect($"{name}()", 0);
        return result;
    }
}
