namespace Appliance.Inference.Structured;

/// <summary>OpenAI's tool_choice: whether the model may, must, or must not call a tool.</summary>
public enum ToolChoiceMode
{
    /// <summary>No tools are offered; the reply is text.</summary>
    None,

    /// <summary>The model answers with text or starts a call; a call, once started, is constrained.</summary>
    Auto,

    /// <summary>The reply is a call, constrained from its first token.</summary>
    Required,
}

/// <summary>The choice for one request; <see cref="Function"/> names the only tool allowed (then the mode is required).</summary>
public sealed record ToolChoice(ToolChoiceMode Mode, string? Function = null)
{
    public static ToolChoice Auto { get; } = new(ToolChoiceMode.Auto);
}
