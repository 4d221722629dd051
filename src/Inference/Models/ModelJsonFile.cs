using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Appliance.Inference.Models;

/// <summary>Reads and writes the model directory's JSON files through source-generated metadata.</summary>
internal static class ModelJsonFile
{
    public static T Read<T>(string path, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!File.Exists(path))
        {
            throw new ModelDirectoryException($"{path}: file is missing.");
        }

        using var stream = File.OpenRead(path);
        return Parse(stream, path, typeInfo);
    }

    public static T Parse<T>(Stream utf8Json, string sourceName, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8Json, typeInfo)
                ?? throw new ModelDirectoryException($"{sourceName}: the file holds JSON null instead of an object.");
        }
        catch (JsonException ex)
        {
            // JsonException positions are zero-based; people count lines and columns from one.
            var line = ex.LineNumber + 1;
            var column = ex.BytePositionInLine + 1;
            var where = ex.LineNumber is null ? string.Empty : $" at line {line}, byte {column}";
            var path = string.IsNullOrEmpty(ex.Path) ? string.Empty : $" (JSON path {ex.Path})";
            throw new ModelDirectoryException($"{sourceName}: malformed JSON{where}{path}: {FirstSentence(ex.Message)}", ex);
        }
    }

    public static void Write<T>(string path, T value, JsonTypeInfo<T> typeInfo)
    {
        // Write to a sibling temp file and move it into place so a crash never leaves half a file.
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, value, typeInfo);
            stream.WriteByte((byte)'\n');
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends its own "Path: ... | LineNumber: ..." suffix; we already report those.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
