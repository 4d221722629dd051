using Appliance.Inference.Structured;

namespace Appliance.Inference.Templates;

/// <summary>
/// A chat message: its role and text, and for an assistant turn the tool calls it made, for a <c>tool</c> turn the id
/// of the call it answers. Messages with content parts are passed as <see cref="TemplateValue"/> dicts instead (see
/// <see cref="TemplateValue.FromJson(string)"/>).
/// </summary>
public sealed record ChatMessage(string Role, string Content)
{
    /// <summary>The assistant's tool calls; templates read them as <c>tool_calls</c> with their arguments as a dict.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    /// <summary>For a <c>tool</c> message: the call it answers (<c>tool_call_id</c>).</summary>
    public string? ToolCallId { get; init; }

    /// <summary>The message as the dict templates read: <c>{"role": ..., "content": ...}</c> plus the tool fields when set.</summary>
    public TemplateValue ToTemplateValue()
    {
        List<KeyValuePair<string, TemplateValue>> fields =
        [
            new("role", TemplateValue.From(Role)),
            new("content", TemplateValue.From(Content)),
        ];
        if (ToolCalls.Count > 0)
        {
            fields.Add(new("tool_calls", TemplateValue.List([.. ToolCalls.Select(CallValue)])));
        }

        if (ToolCallId is not null)
        {
            fields.Add(new("tool_call_id", TemplateValue.From(ToolCallId)));
        }

        return TemplateValue.Dict(fields);
    }

    // OpenAI's shape, as transformers passes it: {"type":"function","function":{"name":…,"arguments":{…}}}.
    private static TemplateValue CallValue(ToolCall call) => TemplateValue.Dict(
    [
        new("type", TemplateValue.From("function")),
        new("function", TemplateValue.Dict(
        [
            new("name", TemplateValue.From(call.Name)),
            new("arguments", TemplateValue.FromJson(call.ArgumentsJson)),
        ])),
    ]);
}
