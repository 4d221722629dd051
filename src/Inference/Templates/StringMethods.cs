namespace Appliance.Inference.Templates;

/// <summary>The Python string methods templates call: <c>content.strip()</c>, <c>role.startswith('x')</c>, ...</summary>
internal static class StringMethods
{
    /// <summary>The method <paramref name="name"/> bound to <paramref name="text"/>, or undefined.</summary>
    public static TemplateValue Bind(StringValue text, string name)
    {
        var value = text.Value;
        return name switch
        {
            "upper" => Method(name, arguments => NoArguments(arguments, name, value.ToUpperInvariant())),
            "lower" => Method(name, arguments => NoArguments(arguments, name, value.ToLowerInvariant())),
            "title" => Method(name, arguments => NoArguments(arguments, name, TextCase.Title(value))),
            "capitalize" => Method(name, arguments => NoArguments(arguments, name, TextCase.Capitalize(value))),
            "strip" => Method(name, arguments => Strip(arguments, name, value, true, true)),
            "lstrip" => Method(name, arguments => Strip(arguments, name, value, true, false)),
            "rstrip" => Method(name, arguments => Strip(arguments, name, value, false, true)),
            "startswith" => Method(name, arguments => Affix(arguments, name, value, prefix: true)),
            "endswith" => Method(name, arguments => Affix(arguments, name, value, prefix: false)),
            "split" => Method(name, arguments => Split(arguments, value)),
            "replace" => Method(name, arguments => Replace(value, arguments)),
            "join" => Method(name, arguments => Join(arguments, value)),
            _ => UndefinedValue.Instance,
        };
    }

    /// <summary>Python's str.replace(old, new, count=-1); an empty old inserts between code points.</summary>
    public static StringValue Replace(string text, CallArguments arguments)
    {
        arguments.Expect("replace()", 3, "old", "new", "count");
        if (arguments.Get(0, "old") is not StringValue old || arguments.Get(1, "new") is not StringValue replacement)
        {
            throw new TemplateRuntimeError("replace() needs two string arguments: old and new");
        }

        var count = arguments.Get(2, "count") switch
        {
            null or NoneValue => -1,
            IntValue i => i.Value,
            var other => throw new TemplateRuntimeError($"replace() count must be an integer, got {other.TypeName}"),
        };
        var remaining = count < 0 ? long.MaxValue : count;
        var output = new System.Text.StringBuilder();
        if (old.Value.Length == 0)
        {
            foreach (var character in ValueAccess.CodePoints(text))
            {
                if (remaining-- > 0)
                {
                    output.Append(replacement.Value);
                }

                output.Append(character);
            }

            return new StringValue(remaining > 0 ? output.Append(replacement.Value).ToString() : output.ToString());
        }

        var position = 0;
        for (int found; remaining > 0 && (found = text.IndexOf(old.Value, position, StringComparison.Ordinal)) >= 0; remaining--)
        {
            output.Append(text, position, found - position).Append(replacement.Value);
            position = found + old.Value.Length;
        }

        return new StringValue(output.Append(text, position, text.Length - position).ToString());
    }

    private static FunctionValue Method(string name, Func<CallArguments, TemplateValue> body) =>
        new(name, (arguments, _, _) => body(arguments));

    private static StringValue NoArguments(CallArguments arguments, string name, string result)
    {
        arguments.Expect($"{name}()", 0);
        return new StringValue(result);
    }

    private static StringValue Strip(CallArguments arguments, string name, string text, bool start, bool end)
    {
        arguments.Expect($"{name}()", 1, "chars");
        return new StringValue(TextCase.Strip(text, arguments.Get(0, "chars"), start, end));
    }

    private static BoolValue Affix(CallArguments arguments, string name, string text, bool prefix)
    {
        arguments.Expect($"{name}()", 1);
        bool Matches(TemplateValue candidate) => candidate is StringValue s
            ? prefix ? text.StartsWith(s.Value, StringComparison.Ordinal) : text.EndsWith(s.Value, StringComparison.Ordinal)
            : throw new TemplateRuntimeError($"{name}() needs a string or a list of strings, got a list holding {candidate.TypeName}");
        return arguments.Get(0, "prefix") switch
        {
            StringValue s => BoolValue.Of(Matches(s)),
            ListValue list => BoolValue.Of(list.Items.Exists(Matches)),
            null => throw new TemplateRuntimeError($"{name}() needs an argument"),
            var other => throw new TemplateRuntimeError($"{name}() needs a string or a list of strings, got {other.TypeName}"),
        };
    }

    /// <summary>Python's str.split(sep=None, maxsplit=-1); without sep it splits on runs of whitespace.</summary>
    private static ListValue Split(CallArguments arguments, string text)
    {
        arguments.Expect("split()", 2, "sep", "maxsplit");
        var maxSplit = arguments.Get(1, "maxsplit") switch
        {
            null => -1,
            IntValue i => i.Value,
            var other => throw new TemplateRuntimeError($"split() maxsplit must be an integer, got {other.TypeName}"),
        };
        var parts = new List<TemplateValue>();
        switch (arguments.Get(0, "sep"))
        {
            case null or NoneValue:
                var rest = JsText.TrimStart(text);
                var position = 0;
                while (position < rest.Length)
                {
                    if (maxSplit >= 0 && parts.Count >= maxSplit)
                    {
                        parts.Add(new StringValue(rest[position..]));
                        break;
                    }

                    var end = position;
                    while (end < rest.Length && !JsText.IsWhiteSpace(rest[end]))
                    {
                        end++;
                    }

                    parts.Add(new StringValue(rest[position..end]));
                    position = end;
                    while (position < rest.Length && JsText.IsWhiteSpace(rest[position]))
                    {
                        position++;
                    }
                }

                break;
            case StringValue { Value.Length: 0 }:
                throw new TemplateRuntimeError("split() separator is empty");
            case StringValue separator:
                var pieces = text.Split(separator.Value);
                var kept = maxSplit >= 0 && pieces.Length > maxSplit + 1 ? (int)maxSplit : pieces.Length;
                parts.AddRange(pieces.Take(kept).Select(piece => (TemplateValue)new StringValue(piece)));
                if (kept < pieces.Length)
                {
                    parts.Add(new StringValue(string.Join(separator.Value, pieces.Skip(kept))));
                }

                break;
            case var other:
                throw new TemplateRuntimeError($"split() separator must be a string or none, got {other.TypeName}");
        }

        return new ListValue(parts);
    }

    /// <summary>Python's sep.join(items): every item must be a string.</summary>
    private static StringValue Join(CallArguments arguments, string separator)
    {
        arguments.Expect("join()", 1);
        var items = ValueAccess.Iterate(arguments.Get(0, "iterable") ?? throw new TemplateRuntimeError("join() needs an argument"));
        var texts = items.Select((item, index) => item is StringValue s
            ? s.Value
            : throw new TemplateRuntimeError($"join() item {index} must be a string, got {item.TypeName}"));
        return new StringValue(string.Join(separator, texts));
    }
}
