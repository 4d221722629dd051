namespace Appliance.Inference.Templates;

/// <summary>
/// A plain text chat message. Messages with tool calls or content parts are passed as <see cref="TemplateValue"/>
/// dicts instead (see <see cref="TemplateValue.FromJson(string)"/>).
/// </summary>
public sealed record ChatMessage(string Role, string Content)
{
    /// <summary>The message as the dict templates read: <c>{"role": ..., "content": ...}</c>.</summary>
    public TemplateValue ToTemplateValue() => TemplateValue.Dict(
    [
        new("role", TemplateValue.From(Role)),
        new("content", TemplateValue.From(Content)),
    ]);
}
