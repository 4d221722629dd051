using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// The built-in filters. Each behaves as the reference's filter of the same name; filters the reference lacks
/// (round, select, reject, escape, map with a filter name, ...) behave as Python's Jinja filters do.
/// </summary>
internal static class TemplateFilters
{
    private static readonly Dictionary<string, Func<TemplateValue, CallArguments, TemplateValue>> Filters =
        new(StringComparer.Ordinal)
        {
            ["abs"] = Abs,
            ["capitalize"] = (value, arguments) => Text(value, arguments, "capitalize", TextCase.Capitalize),
            ["count"] = Length,
            ["d"] = Default,
            ["default"] = Default,
            ["dictsort"] = DictSort,
            ["e"] = Escape,
            ["escape"] = Escape,
            ["first"] = (value, arguments) => Edge(value, arguments, "first", first: true),
            ["float"] = ToFloat,
            ["indent"] = Indent,
            ["int"] = ToInt,
            ["items"] = (value, arguments) => DictView(value, arguments, "items", DictMethods.Items),
            ["join"] = Join,
            ["keys"] = (value, arguments) => DictView(value, arguments, "keys", DictMethods.Keys),
            ["last"] = (value, arguments) => Edge(value, arguments, "last", first: false),
            ["length"] = Length,
            ["list"] = ToList,
            ["lower"] = (value, arguments) => Text(value, arguments, "lower", text => text.ToLowerInvariant()),
            ["map"] = Map,
            ["reject"] = (value, arguments) => Select(value, arguments, "reject", keep: false),
            ["rejectattr"] = (value, arguments) => SelectAttribute(value, arguments, "rejectattr", keep: false),
            ["replace"] = (value, arguments) => StringMethods.Replace(RequireString(value, "replace"), arguments),
            ["reverse"] = Reverse,
            ["round"] = Round,
            ["safe"] = (value, _) => value,
            ["select"] = (value, arguments) => Select(value, arguments, "select", keep: true),
            ["selectattr"] = (value, arguments) => SelectAttribute(value, arguments, "selectattr", keep: true),
            ["sort"] = Sort,
            ["string"] = ToText,
            ["title"] = (value, arguments) => Text(value, arguments, "title", TextCase.Title),
            ["tojson"] = ToJson,
            ["trim"] = Trim,
            ["unique"] = Unique,
            ["upper"] = (value, arguments) => Text(value, arguments, "upper", text => text.ToUpperInvariant()),
            ["values"] = (value, arguments) => DictView(value, arguments, "values", DictMethods.Values),
        };

    public static bool Exists(string name) => Filters.ContainsKey(name);

    public static TemplateValue Apply(string name, TemplateValue value, CallArguments arguments) =>
        Filters.TryGetValue(name, out var filter)
            ? filter(value, arguments)
            : throw new TemplateRuntimeError($"unknown filter '{name}'");

    private static string RequireString(TemplateValue value, string filter) => value is StringValue text
        ? text.Value
        : throw new TemplateRuntimeError($"filter '{filter}' needs a string, got {value.TypeName}");

    private static List<TemplateValue> RequireList(TemplateValue value, string filter) => value switch
    {
        ListValue list => list.Items,
        UndefinedValue => [],
        _ => throw new TemplateRuntimeError($"filter '{filter}' needs a list, got {value.TypeName}"),
    };

    /// <summary>
    /// The items select, reject, selectattr, rejectattr and map go through. Python's Jinja guards these filters with
    /// <c>if value:</c>, so none, undefined and every other falsy value give an empty sequence (templates rely on
    /// <c>none|selectattr(...)</c> being empty); anything else is iterated as a for loop would.
    /// </summary>
    private static List<TemplateValue> GuardedItems(TemplateValue value) => value.IsTruthy ? ValueAccess.Iterate(value) : [];

    private static StringValue Text(TemplateValue value, CallArguments arguments, string filter, Func<string, string> change)
    {
        arguments.Expect(filter, 0);
        return new StringValue(change(RequireString(value, filter)));
    }

    private static TemplateValue Abs(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("abs", 0);
        return value switch
        {
            IntValue { Value: long.MinValue } => throw new TemplateRuntimeError("integer overflow"),
            IntValue i => new IntValue(Math.Abs(i.Value)),
            FloatValue f => new FloatValue(Math.Abs(f.Value)),
            _ => throw new TemplateRuntimeError($"filter 'abs' needs a number, got {value.TypeName}"),
        };
    }

    private static IntValue Length(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("length", 0);
        return new IntValue(value switch
        {
            ListValue list => list.Items.Count,
            StringValue text => text.Value.Length,
            DictValue dict => dict.Entries.Count,
            UndefinedValue => 0,
            _ => throw new TemplateRuntimeError($"filter 'length' needs a list, string or dict, got {value.TypeName}"),
        });
    }

    private static TemplateValue Default(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("default", 2, "default_value", "boolean");
        var fallback = arguments.Get(0, "default_value") ?? StringValue.Empty;
        var whenFalsy = arguments.Get(1, "boolean")?.IsTruthy ?? false;
        return value is UndefinedValue || (whenFalsy && !value.IsTruthy) ? fallback : value;
    }

    private static ListValue DictSort(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("dictsort", 3, "case_sensitive", "by", "reverse");
        if (value is not DictValue dict)
        {
            throw new TemplateRuntimeError($"filter 'dictsort' needs a dict, got {value.TypeName}");
        }

        var caseSensitive = arguments.Get(0, "case_sensitive")?.IsTruthy ?? false;
        var byValue = arguments.Get(1, "by") switch
        {
            null => false,
            StringValue { Value: "key" } => false,
            StringValue { Value: "value" } => true,
            var other => throw new TemplateRuntimeError($"dictsort 'by' must be 'key' or 'value', got {other}"),
        };
        var direction = arguments.Get(2, "reverse")?.IsTruthy == true ? -1 : 1;
        var pairs = DictMethods.Items(dict).Items;
        var index = byValue ? 1 : 0;
        return new ListValue(StableSort.Sort(pairs, (a, b) => direction * TemplateOperators.CompareForSort(
            ((ListValue)a).Items[index], ((ListValue)b).Items[index], caseSensitive)));
    }

    /// <summary>HTML escaping as Jinja's escape filter does it.</summary>
    private static StringValue Escape(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("escape", 0);
        var text = value.ToString();
        var output = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            output.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&#34;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return new StringValue(output.ToString());
    }

    private static TemplateValue Edge(TemplateValue value, CallArguments arguments, string filter, bool first)
    {
        arguments.Expect(filter, 0);
        if (value is StringValue text)
        {
            var characters = ValueAccess.CodePoints(text.Value);
            return characters.Count == 0 ? UndefinedValue.Instance : new StringValue(characters[first ? 0 : ^1]);
        }

        var items = RequireList(value, filter);
        if (items.Count == 0)
        {
            return UndefinedValue.Instance;
        }

        return items[first ? 0 : ^1];
    }

    private static TemplateValue ToFloat(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("float", 1, "default");
        var fallback = arguments.Get(0, "default") ?? new FloatValue(0);
        return value switch
        {
            StringValue text => JsNumber.TryParseFloatPrefix(text.Value, out var number) ? new FloatValue(number) : fallback,
            IntValue or FloatValue or BoolValue => new FloatValue(TemplateOperators.ToDouble(value)),
            _ => throw new TemplateRuntimeError($"filter 'float' cannot convert {value.TypeName}"),
        };
    }

    /// <summary>Strings convert by their leading integer (as JavaScript's parseInt), floats round down, as in the reference.</summary>
    private static TemplateValue ToInt(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("int", 1, "default");
        var fallback = arguments.Get(0, "default") ?? new IntValue(0);
        return value switch
        {
            StringValue text => JsNumber.TryParseIntPrefix(text.Value, out var number) ? new IntValue(number) : fallback,
            IntValue => value,
            BoolValue b => new IntValue(b.Value ? 1 : 0),
            FloatValue f => IntValue.TryFromIntegralDouble(Math.Floor(f.Value), out var whole)
                ? whole
                : throw new TemplateRuntimeError($"filter 'int' cannot convert {JsNumber.Format(f.Value)}"),
            _ => throw new TemplateRuntimeError($"filter 'int' cannot convert {value.TypeName}"),
        };
    }

    private static StringValue Indent(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("indent", 3, "width", "first", "blank");
        var text = RequireString(value, "indent");
        var prefix = arguments.Get(0, "width") switch
        {
            null => "    ",
            IntValue width => new string(' ', (int)Math.Clamp(width.Value, 0, 1000)),
            StringValue custom => custom.Value,
            var other => throw new TemplateRuntimeError($"indent width must be an integer or string, got {other.TypeName}"),
        };
        var first = arguments.Get(1, "first")?.IsTruthy ?? false;
        var blank = arguments.Get(2, "blank")?.IsTruthy ?? false;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if ((first || i > 0) && (blank || lines[i].Length > 0))
            {
                lines[i] = prefix + lines[i];
            }
        }

        return new StringValue(string.Join('\n', lines));
    }

    private static ListValue DictView(TemplateValue value, CallArguments arguments, string filter, Func<DictValue, ListValue> view)
    {
        arguments.Expect(filter, 0);
        return value switch
        {
            DictValue dict => view(dict),
            UndefinedValue => ListValue.Empty,
            _ => throw new TemplateRuntimeError($"filter '{filter}' needs a dict, got {value.TypeName}"),
        };
    }

    private static StringValue Join(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("join", 2, "d", "attribute");
        var separator = arguments.Get(0, "d") switch
        {
            null => string.Empty,
            StringValue s => s.Value,
            var other => throw new TemplateRuntimeError($"join separator must be a string, got {other.TypeName}"),
        };
        IEnumerable<TemplateValue> items = value is StringValue text
            ? ValueAccess.CodePoints(text.Value).Select(c => (TemplateValue)new StringValue(c))
            : RequireList(value, "join");
        if (arguments.Get(1, "attribute") is StringValue attribute)
        {
            items = items.Select(item => AttributePath(item, attribute.Value));
        }

        // Items join as JavaScript's Array.join shows them: none and undefined as nothing, 2.0 as "2".
        return new StringValue(string.Join(separator, items.Select(item => item is NoneValue ? string.Empty : item.ConcatText)));
    }

    private static ListValue ToList(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("list", 0);
        return value switch
        {
            StringValue or DictValue or ListValue or UndefinedValue => new ListValue([.. ValueAccess.Iterate(value)]),
            _ => throw new TemplateRuntimeError($"filter 'list' cannot convert {value.TypeName}"),
        };
    }

    /// <summary><c>map(attribute='x', default=...)</c> picks a (dotted) attribute; <c>map('upper')</c> applies a filter.</summary>
    private static ListValue Map(TemplateValue value, CallArguments arguments)
    {
        var items = GuardedItems(value);
        if (arguments.Keyword("attribute") is { } attributeValue)
        {
            arguments.Expect("map", 0, "attribute", "default");
            if (attributeValue is not StringValue attribute)
            {
                throw new TemplateRuntimeError($"map attribute must be a string, got {attributeValue.TypeName}");
            }

            var fallback = arguments.Keyword("default");
            return new ListValue([.. items.Select(item =>
            {
                if (item is not (DictValue or NamespaceValue))
                {
                    throw new TemplateRuntimeError($"map(attribute=...) needs dicts, got {item.TypeName}");
                }

                var picked = AttributePath(item, attribute.Value);
                return picked is UndefinedValue && fallback is not null ? fallback : picked;
            })]);
        }

        if (arguments.Positional.Count == 0 || arguments.Positional[0] is not StringValue filter)
        {
            throw new TemplateRuntimeError("map needs attribute='name' or the name of a filter");
        }

        var rest = new CallArguments([.. arguments.Positional.Skip(1)], arguments.Keywords);
        return new ListValue([.. items.Select(item => Apply(filter.Value, item, rest))]);
    }

    /// <summary>Follows a dotted path through dicts and namespaces (and list indices), as the reference does for map and sort.</summary>
    private static TemplateValue AttributePath(TemplateValue item, string path)
    {
        var current = item;
        foreach (var part in path.Split('.'))
        {
            current = current switch
            {
                DictValue dict => dict.Entries.TryGetValue(part, out var next) ? next : UndefinedValue.Instance,
                NamespaceValue ns => ns.Attributes.TryGetValue(part, out var next) ? next : UndefinedValue.Instance,
                ListValue list when int.TryParse(part, out var index) && index >= 0 && index < list.Items.Count => list.Items[index],
                _ => UndefinedValue.Instance,
            };
            if (current is UndefinedValue)
            {
                break;
            }
        }

        return current;
    }

    private static TemplateValue Reverse(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("reverse", 0);
        return value switch
        {
            ListValue list => new ListValue(Enumerable.Reverse(list.Items).ToList()),
            StringValue text => new StringValue(string.Concat(Enumerable.Reverse(ValueAccess.CodePoints(text.Value)))),

            // Python's reversed() of an undefined value is an empty iterator.
            UndefinedValue => ListValue.Empty,
            _ => throw new TemplateRuntimeError($"filter 'reverse' needs a list or string, got {value.TypeName}"),
        };
    }

    /// <summary>Jinja's round(precision=0, method='common'|'ceil'|'floor'); common rounds half to even as Python does.</summary>
    private static TemplateValue Round(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("round", 2, "precision", "method");
        var precision = arguments.Get(0, "precision") switch
        {
            null => 0,
            IntValue { Value: >= 0 and <= 15 } p => (int)p.Value,
            var other => throw new TemplateRuntimeError($"round precision must be an integer from 0 to 15, got {other}"),
        };
        var method = arguments.Get(1, "method") switch
        {
            null => "common",
            StringValue { Value: "common" or "ceil" or "floor" } m => m.Value,
            var other => throw new TemplateRuntimeError($"round method must be 'common', 'ceil' or 'floor', got {other}"),
        };
        if (!TemplateOperators.IsNumeric(value))
        {
            throw new TemplateRuntimeError($"filter 'round' needs a number, got {value.TypeName}");
        }

        if (value is IntValue && method == "common")
        {
            return value;
        }

        var number = TemplateOperators.ToDouble(value);
        var scale = Math.Pow(10, precision);
        return new FloatValue(method switch
        {
            "ceil" => Math.Ceiling(number * scale) / scale,
            "floor" => Math.Floor(number * scale) / scale,
            _ => Math.Round(number, precision, MidpointRounding.ToEven),
        });
    }

    /// <summary><c>select('test', args...)</c> / <c>reject(...)</c>; without a test, items are judged by truthiness.</summary>
    private static ListValue Select(TemplateValue value, CallArguments arguments, string filter, bool keep)
    {
        var items = GuardedItems(value);
        Func<TemplateValue, bool> test = item => item.IsTruthy;
        if (arguments.Positional.Count > 0)
        {
            if (arguments.Positional[0] is not StringValue testName)
            {
                throw new TemplateRuntimeError($"{filter} needs the name of a test");
            }

            var rest = new CallArguments([.. arguments.Positional.Skip(1)], arguments.Keywords);
            test = item => TemplateTests.Apply(testName.Value, item, rest);
        }

        return new ListValue(items.Where(item => test(item) == keep).ToList());
    }

    /// <summary>
    /// <c>selectattr('attr', 'test', arg)</c> / <c>rejectattr(...)</c> over dicts. As in the reference, an item
    /// without the attribute never passes the test (so rejectattr keeps it).
    /// </summary>
    private static ListValue SelectAttribute(TemplateValue value, CallArguments arguments, string filter, bool keep)
    {
        var items = GuardedItems(value);
        if (arguments.Positional.Count == 0 || arguments.Positional[0] is not StringValue attribute)
        {
            throw new TemplateRuntimeError($"{filter} needs the name of an attribute");
        }

        string? testName = null;
        if (arguments.Positional.Count > 1)
        {
            testName = arguments.Positional[1] is StringValue name
                ? name.Value
                : throw new TemplateRuntimeError($"{filter} needs the name of a test as its second argument");
        }

        var rest = new CallArguments([.. arguments.Positional.Skip(2)], arguments.Keywords);
        bool Passes(TemplateValue item)
        {
            var entries = item switch
            {
                DictValue dict => dict.Entries,
                NamespaceValue ns => ns.Attributes,
                _ => throw new TemplateRuntimeError($"{filter} needs a list of dicts, got a list holding {item.TypeName}"),
            };
            if (!entries.TryGetValue(attribute.Value, out var picked))
            {
                return false;
            }

            return testName is null ? picked.IsTruthy : TemplateTests.Apply(testName, picked, rest);
        }

        return new ListValue(items.Where(item => Passes(item) == keep).ToList());
    }

    private static ListValue Sort(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("sort", 3, "reverse", "case_sensitive", "attribute");
        var items = RequireList(value, "sort");
        var direction = arguments.Get(0, "reverse")?.IsTruthy == true ? -1 : 1;
        var caseSensitive = arguments.Get(1, "case_sensitive")?.IsTruthy ?? false;
        var attribute = arguments.Get(2, "attribute") switch
        {
            null or NoneValue => null,
            StringValue s => s.Value,
            IntValue i => i.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            var other => throw new TemplateRuntimeError($"sort attribute must be a string or integer, got {other.TypeName}"),
        };
        TemplateValue Key(TemplateValue item) => attribute is null ? item : AttributePath(item, attribute);
        return new ListValue(StableSort.Sort(items, (a, b) => direction * TemplateOperators.CompareForSort(Key(a), Key(b), caseSensitive)));
    }

    private static StringValue ToText(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("string", 0);
        return value switch
        {
            StringValue text => text,
            NoneValue => new StringValue("None"),
            _ => new StringValue(value.ToString()),
        };
    }

    /// <summary>tojson(indent=None, ensure_ascii=False, sort_keys=False, separators=None), as transformers defines it.</summary>
    private static StringValue ToJson(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("tojson", 1, "indent", "ensure_ascii", "sort_keys", "separators");
        var indent = arguments.Get(0, "indent") switch
        {
            null or NoneValue => (int?)null,
            IntValue { Value: >= 0 and <= 100 } i => (int)i.Value,
            var other => throw new TemplateRuntimeError($"tojson indent must be an integer from 0 to 100 or none, got {other}"),
        };
        string? itemSeparator = null;
        string? keySeparator = null;
        switch (arguments.Keyword("separators"))
        {
            case null or NoneValue:
                break;
            case ListValue { Items: [StringValue item, StringValue key] }:
                (itemSeparator, keySeparator) = (item.Value, key.Value);
                break;
            case var other:
                throw new TemplateRuntimeError($"tojson separators must be two strings, got {other}");
        }

        var format = new JsonFormat(
            indent, Flag(arguments, "ensure_ascii"), Flag(arguments, "sort_keys"), itemSeparator, keySeparator);
        return new StringValue(TemplateJson.Serialize(value, format));
    }

    private static bool Flag(CallArguments arguments, string name) => arguments.Keyword(name) switch
    {
        null => false,
        BoolValue b => b.Value,
        var other => throw new TemplateRuntimeError($"tojson {name} must be true or false, got {other.TypeName}"),
    };

    private static StringValue Trim(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("trim", 1, "chars");
        return new StringValue(TextCase.Strip(RequireString(value, "trim"), arguments.Get(0, "chars"), true, true));
    }

    /// <summary>Drops repeated items, keeping first occurrences; strings compare case-sensitively, as in the reference.</summary>
    private static ListValue Unique(TemplateValue value, CallArguments arguments)
    {
        arguments.Expect("unique", 0);
        var kept = new List<TemplateValue>();
        foreach (var item in RequireList(value, "unique"))
        {
            if (!kept.Exists(seen => IsSameValue(seen, item)))
            {
                kept.Add(item);
            }
        }

        return new ListValue(kept);
    }

    /// <summary>JavaScript Set identity: strings and numbers by value (1 == 1.0), everything else by reference.</summary>
    private static bool IsSameValue(TemplateValue a, TemplateValue b) => (a, b) switch
    {
        (StringValue x, StringValue y) => x.Value == y.Value,
        (IntValue or FloatValue, IntValue or FloatValue) => TemplateOperators.ToDouble(a) == TemplateOperators.ToDouble(b),
        _ => ReferenceEquals(a, b),
    };
}
