using System.Text.Json;

namespace Appliance.Inference.Tokenization;

/// <summary>Reads a tokenizer JSON file, turning I/O and syntax errors into messages that name the file.</summary>
internal static class TokenizerFile
{
    public static JsonDocument ParseJson(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerFormatException($"{path}: cannot be read: {ex.Message}", ex);
        }

        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : string.Empty;
            throw new TokenizerFormatException($"{path}: malformed JSON{where}.", ex);
        }
    }
}
