using System.Globalization;
using System.Text.Json;

namespace Appliance.Inference.Structured;

/// <summary>
/// Turns a JSON schema into grammar nodes. Supported: type (and lists of types), properties, required,
/// additionalProperties, enum, const, items (one schema), minItems/maxItems, minLength/maxLength, minimum/maximum and
/// exclusiveMinimum/exclusiveMaximum for integers, anyOf, oneOf with provably exclusive branches, $ref within the
/// document ($defs, definitions, any JSON pointer), boolean schemas; annotations are ignored. Everything else is
/// refused with the keyword and its JSON path.
/// </summary>
internal sealed class SchemaCompiler
{
    private static readonly HashSet<string> Annotations =
    [
        "title", "description", "$comment", "default", "examples", "deprecated", "readOnly", "writeOnly", "$schema",
        "$defs", "definitions",
    ];

    private static readonly HashSet<string> Assertions =
    [
        "type", "properties", "required", "additionalProperties", "enum", "const", "items", "additionalItems",
        "minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "anyOf", "oneOf", "$ref",
    ];

    private static readonly string[] Combinators = ["anyOf", "oneOf"];
    private static readonly string[] LiteralKeywords = ["enum", "const"];
    private static readonly string[] BoundKeywords = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"];
    private static readonly string[] TypeNames = ["null", "boolean", "object", "array", "string", "integer", "number"];

    private readonly JsonElement _document;
    private readonly List<GrammarNode> _nodes = [];
    private readonly Dictionary<string, UnionNode> _references = new(StringComparer.Ordinal);
    private readonly List<(string Path, GrammarNode[] Branches)> _oneOfs = [];
    private UnionNode? _any;

    public SchemaCompiler(JsonElement document) => _document = document;

    public static JsonGrammar AnyObject()
    {
        var compiler = new SchemaCompiler(default);
        var root = compiler.Add(new ObjectNode([]) { Additional = compiler.Any() });
        return new JsonGrammar(root, compiler._nodes);
    }

    public JsonGrammar Compile()
    {
        var root = Compile(_document, "$", isRoot: true);
        var grammar = new JsonGrammar(root, _nodes);
        CheckReferenceCycles();
        foreach (var (path, branches) in _oneOfs)
        {
            CheckExclusive(path, branches);
        }

        if (root.MinLength >= GrammarNode.Unreachable)
        {
            throw new SchemaNotSupportedException("schema", "$", "no JSON value satisfies this schema, so nothing could be generated");
        }

        return grammar;
    }

    private T Add<T>(T node)
        where T : GrammarNode
    {
        _nodes.Add(node);
        return node;
    }

    /// <summary>Any JSON value (schema true or {}), built once per grammar.</summary>
    private UnionNode Any()
    {
        if (_any is not null)
        {
            return _any;
        }

        _any = Add(new UnionNode());
        _any.Alternatives =
        [
            Add(new ObjectNode([]) { Additional = _any }),
            Add(new ArrayNode { Items = _any }),
            Add(new StringNode()),
            Add(new NumberNode()),
            Add(new LiteralNode(["true"u8.ToArray(), "false"u8.ToArray(), "null"u8.ToArray()])),
        ];
        return _any;
    }

    private UnionNode Nothing() => Add(new UnionNode());

    private GrammarNode Compile(JsonElement schema, string path, bool isRoot = false)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return Any();
            case JsonValueKind.False:
                return Nothing();
            case JsonValueKind.Object:
                break;
            default:
                throw new SchemaNotSupportedException("schema", path, "a schema must be an object or a boolean");
        }

        var assertions = new List<string>();
        foreach (var property in schema.EnumerateObject())
        {
            var name = property.Name;
            if (Assertions.Contains(name))
            {
                assertions.Add(name);
            }
            else if (!Annotations.Contains(name) && !(isRoot && name is "$id" or "id"))
            {
                throw new SchemaNotSupportedException(name, path, Unsupported(name));
            }
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            RefuseSiblings("$ref", assertions, path);
            return Reference(reference, path);
        }

        foreach (var combinator in Combinators)
        {
            if (schema.TryGetProperty(combinator, out var branches))
            {
                RefuseSiblings(combinator, assertions, path);
                return Combine(combinator, branches, $"{path}.{combinator}");
            }
        }

        var kinds = ReadTypes(schema, path);
        foreach (var literal in LiteralKeywords)
        {
            if (schema.TryGetProperty(literal, out var values))
            {
                if (assertions.Any(a => a is not "type" && a != literal))
                {
                    throw new SchemaNotSupportedException(literal, path, $"{literal} together with '{assertions.First(a => a is not "type" && a != literal)}' is not supported (only with type)");
                }

                return Literals(literal, values, kinds, path);
            }
        }

        var alternatives = new List<GrammarNode>();
        if ((kinds & JsonKinds.Null) != 0)
        {
            alternatives.Add(Add(new LiteralNode(["null"u8.ToArray()])));
        }

        if ((kinds & JsonKinds.Boolean) != 0)
        {
            alternatives.Add(Add(new LiteralNode(["true"u8.ToArray(), "false"u8.ToArray()])));
        }

        if ((kinds & JsonKinds.Object) != 0)
        {
            alternatives.Add(Object(schema, path));
        }

        if ((kinds & JsonKinds.Array) != 0)
        {
            alternatives.Add(Array(schema, path));
        }

        if ((kinds & JsonKinds.String) != 0)
        {
            alternatives.Add(Add(new StringNode
            {
                MinChars = Count(schema, "minLength", path) ?? 0,
                MaxChars = Count(schema, "maxLength", path) ?? int.MaxValue,
            }));
        }

        if ((kinds & JsonKinds.Number) != 0)
        {
            alternatives.Add(Number(schema, path, integer: (kinds & JsonKinds.Fraction) == 0));
        }

        return alternatives.Count == 1 ? alternatives[0] : Add(new UnionNode { Alternatives = [.. alternatives] });
    }

    private static string Unsupported(string keyword) => keyword switch
    {
        "pattern" => "regular-expression patterns are not supported",
        "format" => "string formats are not supported",
        "allOf" => "allOf (intersections) is not supported",
        "not" => "not is not supported",
        "$id" or "id" => "an $id below the root (a new base URI) is not supported",
        _ => "this keyword is not supported by structured output",
    };

    private static void RefuseSiblings(string keyword, List<string> assertions, string path)
    {
        var other = assertions.FirstOrDefault(a => a != keyword);
        if (other is not null)
        {
            throw new SchemaNotSupportedException(other, path, $"'{other}' beside {keyword} is not supported (put it inside the {keyword} branches)");
        }
    }

    private static JsonKinds ReadTypes(JsonElement schema, string path)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return JsonKinds.All;
        }

        var kinds = JsonKinds.None;
        if (type.ValueKind == JsonValueKind.String)
        {
            return KindOf(type, $"{path}.type");
        }

        if (type.ValueKind != JsonValueKind.Array || type.GetArrayLength() == 0)
        {
            throw new SchemaNotSupportedException("type", path, "type must be a type name or a non-empty list of them");
        }

        var index = 0;
        foreach (var item in type.EnumerateArray())
        {
            kinds |= KindOf(item, $"{path}.type[{index++}]");
        }

        return kinds;
    }

    private static JsonKinds KindOf(JsonElement name, string path) => name.ValueKind == JsonValueKind.String
        ? name.GetString() switch
        {
            "null" => JsonKinds.Null,
            "boolean" => JsonKinds.Boolean,
            "object" => JsonKinds.Object,
            "array" => JsonKinds.Array,
            "string" => JsonKinds.String,
            "integer" => JsonKinds.Integer,
            "number" => JsonKinds.Number,
            var other => throw new SchemaNotSupportedException("type", path, $"unknown type '{other}' (one of {string.Join(", ", TypeNames)})"),
        }
        : throw new SchemaNotSupportedException("type", path, "a type must be a string");

    private LiteralNode Literals(string keyword, JsonElement values, JsonKinds kinds, string path)
    {
        IEnumerable<JsonElement> items;
        if (keyword == "const")
        {
            items = [values];
        }
        else if (values.ValueKind == JsonValueKind.Array)
        {
            items = values.EnumerateArray();
        }
        else
        {
            throw new SchemaNotSupportedException("enum", path, "enum must be an array");
        }

        var accepted = new List<byte[]>();
        foreach (var item in items)
        {
            var bytes = CanonicalJson.Serialize(item);
            var kind = CanonicalJson.KindOf(bytes);
            if ((kind & kinds) != 0 && !accepted.Any(a => a.AsSpan().SequenceEqual(bytes)))
            {
                accepted.Add(bytes);
            }
        }

        return Add(new LiteralNode(accepted));
    }

    private GrammarNode Combine(string keyword, JsonElement branches, string path)
    {
        if (branches.ValueKind != JsonValueKind.Array || branches.GetArrayLength() == 0)
        {
            throw new SchemaNotSupportedException(keyword, path, $"{keyword} must be a non-empty array of schemas");
        }

        var compiled = branches.EnumerateArray().Select((branch, i) => Compile(branch, $"{path}[{i}]")).ToArray();
        if (keyword == "oneOf")
        {
            _oneOfs.Add((path, compiled));
        }

        return compiled.Length == 1 ? compiled[0] : Add(new UnionNode { Alternatives = compiled });
    }

    private UnionNode Reference(JsonElement reference, string path)
    {
        var text = reference.ValueKind == JsonValueKind.String ? reference.GetString()! : throw new SchemaNotSupportedException("$ref", path, "$ref must be a string");
        if (!text.StartsWith('#'))
        {
            throw new SchemaNotSupportedException("$ref", path, $"'{text}' points outside this document; only local references (#, #/$defs/…) are supported");
        }

        if (_references.TryGetValue(text, out var known))
        {
            return known;
        }

        var target = _document;
        var targetPath = "$";
        foreach (var raw in text[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(segment, out var child))
            {
                target = child;
                targetPath += $".{segment}";
            }
            else if (target.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < target.GetArrayLength())
            {
                target = target[i];
                targetPath += $"[{i}]";
            }
            else
            {
                throw new SchemaNotSupportedException("$ref", path, $"'{text}' does not resolve within this document");
            }
        }

        var placeholder = Add(new UnionNode());
        _references[text] = placeholder;
        placeholder.Alternatives = [Compile(target, targetPath, isRoot: targetPath == "$")];
        return placeholder;
    }

    private ObjectNode Object(JsonElement schema, string path)
    {
        var names = new List<string>();
        var schemas = new List<(JsonElement Schema, string Path)>();
        if (schema.TryGetProperty("properties", out var properties))
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaNotSupportedException("properties", path, "properties must be an object");
            }

            foreach (var property in properties.EnumerateObject())
            {
                names.Add(property.Name);
                schemas.Add((property.Value, $"{path}.properties.{property.Name}"));
            }
        }

        var required = new List<string>();
        if (schema.TryGetProperty("required", out var requiredList))
        {
            if (requiredList.ValueKind != JsonValueKind.Array || requiredList.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
            {
                throw new SchemaNotSupportedException("required", path, "required must be an array of strings");
            }

            required.AddRange(requiredList.EnumerateArray().Select(r => r.GetString()!).Distinct(StringComparer.Ordinal));
        }

        var undeclared = required.Where(r => !names.Contains(r)).ToList();
        if (names.Count + undeclared.Count > ObjectNode.MaxProperties)
        {
            throw new SchemaNotSupportedException("properties", path, $"more than {ObjectNode.MaxProperties} properties are not supported");
        }

        GrammarNode? additional = Any();
        if (schema.TryGetProperty("additionalProperties", out var additionalSchema))
        {
            additional = additionalSchema.ValueKind == JsonValueKind.False ? null : Compile(additionalSchema, $"{path}.additionalProperties");
        }

        var node = Add(new ObjectNode([.. names.Concat(undeclared).Select(CanonicalJson.EscapeString)]) { Additional = additional });
        for (var p = 0; p < schemas.Count; p++)
        {
            node.Values[p] = Compile(schemas[p].Schema, schemas[p].Path);
        }

        for (var u = 0; u < undeclared.Count; u++)
        {
            // A required key that properties does not declare takes the schema of other keys, if any are allowed.
            node.Values[names.Count + u] = additional ?? Nothing();
        }

        var allNames = names.Concat(undeclared).ToList();
        foreach (var name in required)
        {
            node.Required |= 1UL << allNames.IndexOf(name);
        }

        return node;
    }

    private ArrayNode Array(JsonElement schema, string path)
    {
        GrammarNode items = Any();
        if (schema.TryGetProperty("items", out var itemSchema))
        {
            if (itemSchema.ValueKind == JsonValueKind.Array)
            {
                throw new SchemaNotSupportedException("items", path, "items as an array of schemas (tuples) is not supported");
            }

            items = Compile(itemSchema, $"{path}.items");
        }

        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind != JsonValueKind.False)
        {
            throw new SchemaNotSupportedException("uniqueItems", path, "uniqueItems: true is not supported");
        }

        // additionalItems only constrains tuple items, which are refused above; with one items schema it has no effect.
        return Add(new ArrayNode
        {
            Items = items,
            MinItems = Count(schema, "minItems", path) ?? 0,
            MaxItems = Count(schema, "maxItems", path) ?? int.MaxValue,
        });
    }

    private NumberNode Number(JsonElement schema, string path, bool integer)
    {
        var limit = (double)(new NumberNode().Maximum);
        var minimum = -limit;
        var maximum = limit;
        foreach (var keyword in BoundKeywords)
        {
            if (!schema.TryGetProperty(keyword, out var value))
            {
                continue;
            }

            if (!integer)
            {
                throw new SchemaNotSupportedException(keyword, path, "bounds are supported for integers only (type: integer)");
            }

            var lower = keyword.EndsWith("inimum", StringComparison.Ordinal);
            double bound;
            if (value.ValueKind == JsonValueKind.True)
            {
                // Draft 4: the boolean makes minimum/maximum exclusive.
                var inclusive = schema.TryGetProperty(lower ? "minimum" : "maximum", out var b) ? b.GetDouble() : (lower ? -limit : limit);
                bound = lower ? Math.Floor(inclusive) + 1 : Math.Ceiling(inclusive) - 1;
            }
            else if (value.ValueKind == JsonValueKind.False)
            {
                continue;
            }
            else if (value.ValueKind == JsonValueKind.Number)
            {
                var number = value.GetDouble();
                var exclusive = keyword.StartsWith("exclusive", StringComparison.Ordinal);
                bound = lower
                    ? (exclusive ? Math.Floor(number) + 1 : Math.Ceiling(number))
                    : (exclusive ? Math.Ceiling(number) - 1 : Math.Floor(number));
            }
            else
            {
                throw new SchemaNotSupportedException(keyword, path, $"{keyword} must be a number");
            }

            if (lower)
            {
                minimum = Math.Max(minimum, bound);
            }
            else
            {
                maximum = Math.Min(maximum, bound);
            }
        }

        return Add(new NumberNode
        {
            IsInteger = integer,
            Minimum = (long)Math.Clamp(minimum, -limit, limit + 1),
            Maximum = (long)Math.Clamp(maximum, -limit - 1, limit),
        });
    }

    private static int? Count(JsonElement schema, string keyword, string path)
    {
        if (!schema.TryGetProperty(keyword, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < 0 || Math.Floor(number) != number)
        {
            throw new SchemaNotSupportedException(keyword, path, $"{keyword} must be a non-negative integer");
        }

        return (int)Math.Min(number, int.MaxValue);
    }

    /// <summary>Refuses a $ref chain that reaches itself without a value in between (the matcher would loop).</summary>
    private void CheckReferenceCycles()
    {
        var state = new Dictionary<UnionNode, int>();
        foreach (var node in _nodes.OfType<UnionNode>())
        {
            Visit(node);
        }

        void Visit(UnionNode node)
        {
            if (state.TryGetValue(node, out var s))
            {
                if (s == 1)
                {
                    var reference = _references.FirstOrDefault(r => r.Value == node).Key ?? "#";
                    throw new SchemaNotSupportedException("$ref", "$", $"'{reference}' refers to itself without any value in between");
                }

                return;
            }

            state[node] = 1;
            foreach (var next in node.Alternatives.OfType<UnionNode>())
            {
                Visit(next);
            }

            state[node] = 2;
        }
    }

    /// <summary>oneOf is matched as anyOf, which is only right when no value can match two branches.</summary>
    private static void CheckExclusive(string path, GrammarNode[] branches)
    {
        for (var i = 0; i < branches.Length; i++)
        {
            for (var j = i + 1; j < branches.Length; j++)
            {
                if (!Disjoint(branches[i], branches[j], 0))
                {
                    throw new SchemaNotSupportedException("oneOf", path, $"branches {i} and {j} may both match one value; only oneOf branches that exclude each other (different types, different constants, a required key the other forbids) are supported — use anyOf");
                }
            }
        }
    }

    private static bool Disjoint(GrammarNode a, GrammarNode b, int depth)
    {
        if (a.MinLength >= GrammarNode.Unreachable || b.MinLength >= GrammarNode.Unreachable)
        {
            return true;
        }

        if (depth > 8)
        {
            return false;
        }

        if (a is UnionNode ua)
        {
            return ua.Alternatives.All(x => Disjoint(x, b, depth + 1));
        }

        if (b is UnionNode ub)
        {
            return ub.Alternatives.All(x => Disjoint(a, x, depth + 1));
        }

        if ((a.Kinds & b.Kinds) == 0)
        {
            return true;
        }

        return (a, b) switch
        {
            (LiteralNode x, LiteralNode y) => !x.Values.Any(v => y.Values.Any(w => v.AsSpan().SequenceEqual(w))),
            (ObjectNode x, ObjectNode y) => ExcludesKey(x, y, depth) || ExcludesKey(y, x, depth),
            _ => false,
        };
    }

    /// <summary>Whether <paramref name="x"/> requires a key whose value <paramref name="y"/> cannot have.</summary>
    private static bool ExcludesKey(ObjectNode x, ObjectNode y, int depth)
    {
        for (var p = 0; p < x.Names.Count; p++)
        {
            if (((x.Required >> p) & 1) == 0)
            {
                continue;
            }

            var q = IndexOf(y, x.Names[p]);
            var other = q >= 0 ? y.Values[q] : y.Additional;
            if (other is null || Disjoint(x.Values[p], other, depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOf(ObjectNode node, byte[] name)
    {
        for (var q = 0; q < node.Names.Count; q++)
        {
            if (node.Names[q].AsSpan().SequenceEqual(name))
            {
                return q;
            }
        }

        return -1;
    }
}
