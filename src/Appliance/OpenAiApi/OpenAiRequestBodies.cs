using System.Text.Json;

namespace Appliance.OpenAiApi;

/// <summary>
/// The fields /v1/chat/completions and /v1/completions share. Fields OpenAI clients send that are not listed here
/// (user, logprobs, presence_penalty …) are accepted and ignored; a listed field of the wrong type is a 400 naming it.
/// </summary>
internal abstract class GenerationBody
{
    public string? Model { get; set; }

    public int? MaxTokens { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public long? Seed { get; set; }

    /// <summary>A string or an array of strings.</summary>
    public JsonElement? Stop { get; set; }

    public bool? Stream { get; set; }

    public StreamOptionsBody? StreamOptions { get; set; }

    public int? N { get; set; }
}

internal sealed class StreamOptionsBody
{
    public bool? IncludeUsage { get; set; }
}

/// <summary>POST /v1/chat/completions.</summary>
internal sealed class ChatCompletionBody : GenerationBody
{
    public List<ChatMessageBody?>? Messages { get; set; }

    /// <summary>OpenAI's newer name for max_tokens; wins when both are given.</summary>
    public int? MaxCompletionTokens { get; set; }

    public JsonElement? Tools { get; set; }

    public JsonElement? ToolChoice { get; set; }

    public JsonElement? ResponseFormat { get; set; }
}

internal sealed class ChatMessageBody
{
    public string? Role { get; set; }

    /// <summary>A string, an array of text parts [{"type":"text","text":…}], or null (an assistant turn that only calls tools).</summary>
    public JsonElement? Content { get; set; }

    public JsonElement? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }
}

/// <summary>POST /v1/completions.</summary>
internal sealed class CompletionBody : GenerationBody
{
    /// <summary>A string, or an array holding one string.</summary>
    public JsonElement? Prompt { get; set; }
}
