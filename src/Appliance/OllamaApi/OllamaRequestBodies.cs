using System.Text.Json;

namespace Appliance.OllamaApi;

/// <summary>
/// The fields /api/chat and /api/generate share. Fields Ollama clients send that are not listed (images on a model
/// that reads none are refused below; raw, template, context …) are accepted and ignored; a listed field of the wrong
/// type is a 400 naming it.
/// </summary>
internal abstract class OllamaGenerationBody
{
    public string? Model { get; set; }

    /// <summary>"json", or a JSON schema the reply must match.</summary>
    public JsonElement? Format { get; set; }

    public OllamaOptionsBody? Options { get; set; }

    /// <summary>Defaults to true: NDJSON lines as the reply is generated.</summary>
    public bool? Stream { get; set; }

    /// <summary>How long Ollama keeps the model loaded ("5m", 300, -1): accepted; this appliance keeps its one model loaded.</summary>
    public JsonElement? KeepAlive { get; set; }

    /// <summary>Thinking output (Home Assistant sends it when configured): accepted; the models served here do not think aloud.</summary>
    public JsonElement? Think { get; set; }
}

/// <summary>Ollama's runtime options that map onto this appliance's sampling and limits.</summary>
internal sealed class OllamaOptionsBody
{
    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? TopK { get; set; }

    public double? MinP { get; set; }

    public double? RepeatPenalty { get; set; }

    public long? Seed { get; set; }

    /// <summary>The reply's length in tokens; -1 (unlimited) and -2 (fill the context) take the room left, as a request without one does.</summary>
    public int? NumPredict { get; set; }

    public JsonElement? Stop { get; set; }

    /// <summary>The context the client wants: at most the model's; a smaller one is honoured by the room-left rule anyway.</summary>
    public int? NumCtx { get; set; }
}

/// <summary>POST /api/chat.</summary>
internal sealed class OllamaChatBody : OllamaGenerationBody
{
    public List<OllamaMessageBody?>? Messages { get; set; }

    public JsonElement? Tools { get; set; }
}

internal sealed class OllamaMessageBody
{
    public string? Role { get; set; }

    public string? Content { get; set; }

    /// <summary>Base64 images: refused unless empty (the models served here read text only).</summary>
    public JsonElement? Images { get; set; }

    /// <summary>[{"function":{"name":…,"arguments":{…}}}] on an assistant turn.</summary>
    public JsonElement? ToolCalls { get; set; }

    /// <summary>Which tool a tool message answers (newer clients send it).</summary>
    public string? ToolName { get; set; }

    public string? Thinking { get; set; }
}

/// <summary>POST /api/generate.</summary>
internal sealed class OllamaGenerateBody : OllamaGenerationBody
{
    public string? Prompt { get; set; }

    public string? System { get; set; }

    public JsonElement? Images { get; set; }
}

/// <summary>POST /api/show: "model" (newer clients) or "name" (older ones).</summary>
internal sealed class OllamaShowBody
{
    public string? Model { get; set; }

    public string? Name { get; set; }
}
