using System.Text.Json;

namespace Appliance.Inference.Structured;

/// <summary>
/// The grammar of one tool call, `{"name": one of the tools, "arguments": that tool's parameters}`: an anyOf of one
/// closed object per tool whose name is a constant, so the arguments follow the schema of the tool named. Each
/// tool's parameters go under $defs (their local $refs rewritten to stay inside them), so tools may use $defs too.
/// The arguments key is the format's (<c>arguments</c>, or <c>parameters</c> for Llama 3.x).
/// </summary>
public static class ToolCallGrammar
{
    /// <exception cref="SchemaNotSupportedException">A tool's parameters use something outside the subset; the path names the tool.</exception>
    /// <exception cref="ArgumentException">No tools, or two with the same name.</exception>
    public static JsonGrammar Build(IReadOnlyList<ToolDefinition> tools, string argumentsKey = "arguments")
    {
        ArgumentNullException.ThrowIfNull(tools);
        if (tools.Count == 0)
        {
            throw new ArgumentException("A tool call needs at least one tool.", nameof(tools));
        }

        if (tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"Two tools are named '{duplicate.Key}'.", nameof(tools));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("anyOf");
            for (var i = 0; i < tools.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "object");
                writer.WriteStartObject("properties");
                writer.WriteStartObject("name");
                writer.WriteString("const", tools[i].Name);
                writer.WriteEndObject();
                writer.WriteStartObject(argumentsKey);
                writer.WriteString("$ref", $"#/$defs/{Pointer(tools[i].Name)}");
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteStartArray("required");
                writer.WriteStringValue("name");
                writer.WriteStringValue(argumentsKey);
                writer.WriteEndArray();
                writer.WriteBoolean("additionalProperties", false);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("$defs");
            foreach (var tool in tools)
            {
                writer.WritePropertyName(tool.Name);
                CopyRebased(tool.Parameters, $"#/$defs/{Pointer(tool.Name)}", writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return JsonGrammar.FromSchema(document.RootElement);
    }

    /// <summary>A JSON pointer segment for a name (RFC 6901 escapes, then percent-encoding as in a URI fragment).</summary>
    private static string Pointer(string name) =>
        Uri.EscapeDataString(name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal));

    /// <summary>Copies a schema, pointing its local $refs (#, #/…) at <paramref name="root"/>, where the copy will live.</summary>
    private static void CopyRebased(JsonElement schema, string root, Utf8JsonWriter writer)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in schema.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (property.Name == "$ref" && property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { } target && target.StartsWith('#'))
                    {
                        writer.WriteStringValue(root + target[1..]);
                    }
                    else
                    {
                        CopyRebased(property.Value, root, writer);
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in schema.EnumerateArray())
                {
                    CopyRebased(item, root, writer);
                }

                writer.WriteEndArray();
                break;
            default:
                schema.WriteTo(writer);
                break;
        }
    }
}
