using Appliance.Inference.Structured;

namespace Appliance.Engine;

/// <summary>One reply that may call a tool: the constraint that watches for the call, and the reply's split into text and call.</summary>
internal sealed class ToolCallTurn
{
    private readonly ToolCallFormat _format;

    private ToolCallTurn(ToolCallFormat format, ToolCallConstraint constraint)
    {
        _format = format;
        Constraint = constraint;
    }

    public ToolCallConstraint Constraint { get; }

    /// <exception cref="InvalidConversationException">The model's chat template renders no tools.</exception>
    public static ToolCallTurn Start(ToolRequest tools, ChatPrompt chat)
    {
        var format = chat.ToolFormat ?? throw new InvalidConversationException(
            "the model's chat template does not take tools (it writes no tool-call format this service knows: Hermes <tool_call> or Llama 3.x JSON)");
        var constraint = new ToolCallConstraint(tools.Grammar(format.ArgumentsKey), TokenVocabulary.For(chat.Tokenizer), format, tools.CallRequired);
        return new ToolCallTurn(format, constraint);
    }

    /// <summary>The reply's text before the call and the call, or the whole text and no call.</summary>
    public (string Text, IReadOnlyList<ToolCall> Calls) Split(string text) =>
        Constraint.CallJson is { } call ? (_format.ContentBefore(text), [ToolCall.Parse(call, _format)]) : (text, []);
}
