using System.Text.Encodings.Web;
using System.Text.Json;

namespace Appliance.Quantize.Synthetic;

/// <summary>JSON output settings for generated files: indented, "\n" line ends on every OS, readable characters.</summary>
internal static class SyntheticJson
{
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = true,
        NewLine = "\n",

        // Keeps '<', '>', '`' and the byte-level symbols readable; the output is still strictly valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
