using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>
/// genai_config.json writes a token id list either as one number (<c>"eos_token_id": 2</c>) or as an array
/// (<c>"eos_token_id": [151645, 151643]</c>). Reads both; writes a single id as a number, like the model builder.
/// </summary>
public sealed class TokenIdListJsonConverter : JsonConverter<int[]>
{
    public override int[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return [reader.GetInt32()];
            case JsonTokenType.StartArray:
                var ids = new List<int>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        throw new JsonException($"a token id list may only hold integers, found {reader.TokenType}.");
                    }

                    ids.Add(reader.GetInt32());
                }

                return [.. ids];
            default:
                throw new JsonException($"a token id must be an integer or an array of integers, found {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, int[] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 1)
        {
            writer.WriteNumberValue(value[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (var id in value)
        {
            writer.WriteNumberValue(id);
        }

        writer.WriteEndArray();
    }
}
