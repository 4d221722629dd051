using System.Text;
using System.Text.Json;

namespace Appliance.Inference.Structured;

/// <summary>
/// A JSON schema compiled for constrained decoding: the values it admits as a graph of nodes a
/// <see cref="JsonMatcher"/> walks byte by byte, in compact JSON. Immutable and thread-safe; compile once per schema.
/// </summary>
public sealed class JsonGrammar
{
    internal JsonGrammar(GrammarNode root, IReadOnlyList<GrammarNode> nodes)
    {
        Root = root;
        Nodes = [.. nodes];
        for (var i = 0; i < Nodes.Length; i++)
        {
            Nodes[i].Index = i;
        }

        SettleMinLengths(Nodes);
    }

    /// <summary>Any JSON object (the json_object response format).</summary>
    public static JsonGrammar AnyObject { get; } = SchemaCompiler.AnyObject();

    /// <summary>Bytes of the shortest value the grammar admits.</summary>
    public int MinLength => Root.MinLength;

    internal GrammarNode Root { get; }

    internal GrammarNode[] Nodes { get; }

    /// <summary>Compiles a JSON schema (the subset in the README); anything else is refused, never ignored.</summary>
    /// <exception cref="SchemaNotSupportedException">Names the keyword and its JSON path.</exception>
    public static JsonGrammar FromSchema(JsonElement schema) => new SchemaCompiler(schema).Compile();

    /// <inheritdoc cref="FromSchema(JsonElement)"/>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static JsonGrammar FromSchema(string schemaJson)
    {
        using var document = JsonDocument.Parse(schemaJson);
        return FromSchema(document.RootElement);
    }

    /// <summary>Whether <paramref name="json"/>, whole, is a value the grammar admits (compact form: no whitespace).</summary>
    public bool Matches(ReadOnlySpan<byte> json)
    {
        var matcher = new JsonMatcher(this, 2);
        var count = matcher.Start();
        var level = 0;
        foreach (var b in json)
        {
            count = matcher.Advance(level, count, b, 1 - level);
            level = 1 - level;
            if (count == 0)
            {
                return false;
            }
        }

        return matcher.CanEnd(level, count);
    }

    /// <inheritdoc cref="Matches(ReadOnlySpan{byte})"/>
    public bool Matches(string json) => Matches(Encoding.UTF8.GetBytes(json));

    /// <summary>Lowers every node's shortest length until nothing changes (recursive schemas need the repetition).</summary>
    private static void SettleMinLengths(GrammarNode[] nodes)
    {
        bool changed;
        do
        {
            changed = false;
            foreach (var node in nodes)
            {
                var length = node.ComputeMinLength();
                if (length < node.MinLength)
                {
                    node.MinLength = length;
                    changed = true;
                }
            }
        }
        while (changed);
    }
}
