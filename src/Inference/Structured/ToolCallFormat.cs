using System.Text;

namespace Appliance.Inference.Structured;

/// <summary>
/// How one model family writes a tool call, the facts the decoder needs in one place: the text that announces a call
/// (empty when a call is a reply that starts with the JSON object itself), the text between that and the JSON, the
/// text that closes the call, and the key holding the arguments.
/// </summary>
public sealed record ToolCallFormat(string Name, string Trigger, string Open, string Close, string ArgumentsKey)
{
    /// <summary>Qwen2.5/Qwen3, SmolLM3, Hermes: <c>&lt;tool_call&gt;\n{"name":…,"arguments":…}\n&lt;/tool_call&gt;</c>.</summary>
    public static ToolCallFormat Hermes { get; } = new("hermes", "<tool_call>", "\n", "\n</tool_call>", "arguments");

    /// <summary>Llama 3.1/3.2 JSON tool calling: the whole reply is <c>{"name":…,"parameters":…}</c>.</summary>
    public static ToolCallFormat LlamaJson { get; } = new("llama3-json", "", "", "", "parameters");

    /// <summary>The format a chat template teaches its model, or null when the template renders no tools.</summary>
    public static ToolCallFormat? ForTemplate(string templateSource)
    {
        ArgumentNullException.ThrowIfNull(templateSource);
        if (templateSource.Contains(Hermes.Trigger, StringComparison.Ordinal))
        {
            return Hermes;
        }

        // Llama 3.1/3.2 tell the model to answer with {"name": …, "parameters": …} (and mark code with <|python_tag|>).
        return templateSource.Contains("<|python_tag|>", StringComparison.Ordinal) || templateSource.Contains("\"parameters\"", StringComparison.Ordinal)
            ? LlamaJson
            : null;
    }

    internal byte[] TriggerBytes { get; } = Encoding.UTF8.GetBytes(Trigger);

    internal byte[] OpenBytes { get; } = Encoding.UTF8.GetBytes(Open);

    internal byte[] CloseBytes { get; } = Encoding.UTF8.GetBytes(Close);

    /// <summary>The reply's text before the call (the call starts at the first trigger).</summary>
    public string ContentBefore(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var at = Trigger.Length == 0 ? 0 : reply.IndexOf(Trigger, StringComparison.Ordinal);
        return at < 0 ? reply : reply[..at];
    }
}
