using System.Text.Json;

namespace Appliance.Inference.Structured;

/// <summary>A parsed tool call: the tool's name and its arguments as a compact JSON object text.</summary>
public sealed record ToolCall(string Name, string ArgumentsJson)
{
    /// <summary>Reads a call the constraint produced (<c>{"name":…, "&lt;arguments key&gt;":{…}}</c>).</summary>
    public static ToolCall Parse(string callJson, ToolCallFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        using var call = JsonDocument.Parse(callJson);
        return new ToolCall(
            call.RootElement.GetProperty("name").GetString()!,
            call.RootElement.GetProperty(format.ArgumentsKey).GetRawText());
    }
}
