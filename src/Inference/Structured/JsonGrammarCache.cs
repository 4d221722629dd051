using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Appliance.Inference.Structured;

/// <summary>
/// Compiled grammars by schema (its canonical JSON), so a client sending the same schema with every request pays for
/// compiling it once. Holds at most <see cref="Capacity"/> schemas and starts over when full. Thread-safe.
/// </summary>
public sealed class JsonGrammarCache
{
    public const int Capacity = 64;

    private readonly ConcurrentDictionary<string, JsonGrammar> _grammars = new(StringComparer.Ordinal);

    public int Count => _grammars.Count;

    /// <inheritdoc cref="JsonGrammar.FromSchema(JsonElement)"/>
    public JsonGrammar Get(JsonElement schema)
    {
        var key = Encoding.UTF8.GetString(CanonicalJson.Serialize(schema));
        if (_grammars.TryGetValue(key, out var known))
        {
            return known;
        }

        var grammar = JsonGrammar.FromSchema(schema);
        if (_grammars.Count >= Capacity)
        {
            _grammars.Clear();
        }

        _grammars[key] = grammar;
        return grammar;
    }
}
