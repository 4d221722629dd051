using Appliance.Inference.Structured;
using Appliance.Inference.Templates;

namespace Appliance.Engine;

/// <summary>
/// The tools a request offers and its tool_choice: the tools as the chat template receives them (OpenAI's
/// {"type":"function","function":{name, description, parameters}}), and their definitions for the call grammar.
/// </summary>
public sealed record ToolRequest(IReadOnlyList<ToolDefinition> Definitions, TemplateValue TemplateTools, ToolChoice Choice)
{
    /// <summary>The grammar of a call with the format's arguments key; with a named choice, of that tool only.</summary>
    /// <exception cref="SchemaNotSupportedException">A tool's parameters use something outside the subset.</exception>
    public JsonGrammar Grammar(string argumentsKey) =>
        ToolCallGrammar.Build(Choice.Function is { } name ? [.. Definitions.Where(d => d.Name == name)] : Definitions, argumentsKey);

    /// <summary>Whether the reply must be a call (required, or a named tool).</summary>
    public bool CallRequired => Choice.Mode == ToolChoiceMode.Required || Choice.Function is not null;
}
