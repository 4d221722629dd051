namespace Appliance.Inference.Templates;

internal enum ArgumentKind
{
    Positional,
    Keyword,

    /// <summary><c>*list</c>: the list's items become positional arguments.</summary>
    Spread,

    /// <summary><c>**dict</c>: the dict's entries become keyword arguments.</summary>
    KeywordSpread,
}

/// <summary>One argument as written in a call, filter or test.</summary>
internal sealed record Argument(ArgumentKind Kind, string? Name, Expression Value)
{
    /// <summary>Evaluates arguments as Python does: every positional one first, then the keywords.</summary>
    public static CallArguments EvaluateAll(List<Argument> arguments, Scope scope, RenderState state)
    {
        if (arguments.Count == 0)
        {
            return CallArguments.None;
        }

        var positional = new List<TemplateValue>();
        foreach (var argument in arguments)
        {
            if (argument.Kind == ArgumentKind.Positional)
            {
                positional.Add(argument.Value.Evaluate(scope, state));
            }
            else if (argument.Kind == ArgumentKind.Spread)
            {
                var spread = argument.Value.Evaluate(scope, state);
                positional.AddRange(spread is ListValue list
                    ? list.Items
                    : throw new TemplateRuntimeError($"cannot unpack {spread.TypeName} with *; it needs a list"));
            }
        }

        var keywords = new List<KeyValuePair<string, TemplateValue>>();
        foreach (var argument in arguments)
        {
            if (argument.Kind == ArgumentKind.Keyword)
            {
                AddKeyword(keywords, argument.Name!, argument.Value.Evaluate(scope, state));
            }
            else if (argument.Kind == ArgumentKind.KeywordSpread)
            {
                var spread = argument.Value.Evaluate(scope, state);
                if (spread is not DictValue dict)
                {
                    throw new TemplateRuntimeError($"cannot unpack {spread.TypeName} with **; it needs a dict");
                }

                foreach (var (key, value) in dict.Entries)
                {
                    AddKeyword(keywords, key, value);
                }
            }
        }

        return new CallArguments(positional, keywords);
    }

    private static void AddKeyword(List<KeyValuePair<string, TemplateValue>> keywords, string name, TemplateValue value)
    {
        if (keywords.Exists(entry => entry.Key == name))
        {
            throw new TemplateRuntimeError($"got multiple values for keyword argument '{name}'");
        }

        keywords.Add(new(name, value));
    }
}
