namespace Appliance.Inference.Templates;

/// <summary>
/// What a chat template renders: <c>messages</c>, <c>add_generation_prompt</c>, <c>bos_token</c>/<c>eos_token</c>
/// when known, <c>tools</c>/<c>documents</c> when given (otherwise undefined), plus any extra variables such as
/// <c>enable_thinking</c>.
/// </summary>
public sealed class ChatTemplateContext
{
    public ChatTemplateContext(IEnumerable<TemplateValue> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Messages = [.. messages];
    }

    public ChatTemplateContext(IEnumerable<ChatMessage> messages)
        : this((messages ?? throw new ArgumentNullException(nameof(messages))).Select(message => message.ToTemplateValue()))
    {
    }

    /// <summary>The conversation, each message usually a dict with role and content.</summary>
    public IReadOnlyList<TemplateValue> Messages { get; }

    /// <summary>Whether the template should end with the header that opens the assistant's turn.</summary>
    public bool AddGenerationPrompt { get; init; }

    public string? BosToken { get; init; }

    public string? EosToken { get; init; }

    /// <summary>Tool schemas (a list of dicts); undefined in the template when null.</summary>
    public TemplateValue? Tools { get; init; }

    /// <summary>Retrieval documents (a list of dicts); undefined in the template when null.</summary>
    public TemplateValue? Documents { get; init; }

    /// <summary>Further template variables (e.g. <c>enable_thinking</c>); they override the ones above.</summary>
    public IDictionary<string, TemplateValue> ExtraVariables { get; } = new Dictionary<string, TemplateValue>(StringComparer.Ordinal);

    /// <summary>The clock strftime_now reads.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    internal IEnumerable<KeyValuePair<string, TemplateValue>> Variables()
    {
        yield return new("messages", TemplateValue.List(Messages));
        yield return new("add_generation_prompt", TemplateValue.From(AddGenerationPrompt));
        if (BosToken is not null)
        {
            yield return new("bos_token", TemplateValue.From(BosToken));
        }

        if (EosToken is not null)
        {
            yield return new("eos_token", TemplateValue.From(EosToken));
        }

        if (Tools is not null)
        {
            yield return new("tools", Tools);
        }

        if (Documents is not null)
        {
            yield return new("documents", Documents);
        }

        foreach (var variable in ExtraVariables)
        {
            yield return variable;
        }
    }
}
