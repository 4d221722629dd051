using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using Appliance.Inference.Tokenization;

namespace Appliance.Engine;

/// <summary>A model directory's tokenizer and chat template: a conversation in, the prompt's token ids out.</summary>
internal sealed class ChatPrompt
{
    private readonly TokenizerChatConfig _config;
    private readonly ChatTemplate _template;
    private readonly ContentTokenShield _shield;

    private ChatPrompt(Tokenizer tokenizer, TokenizerChatConfig config)
    {
        Tokenizer = tokenizer;
        _config = config;
        _template = config.RequireTemplate();
        _shield = new ContentTokenShield(tokenizer.AddedTokens.Where(token => token.Special).Select(token => token.Content));
    }

    public Tokenizer Tokenizer { get; }

    /// <summary>How the chat template's model writes a tool call; null when the template renders no tools.</summary>
    public ToolCallFormat? ToolFormat => ToolCallFormat.ForTemplate(_template.Source);

    /// <summary>Reads tokenizer.json and tokenizer_config.json (which must carry a chat template) from the model directory.</summary>
    public static ChatPrompt Load(string modelDirectory)
    {
        ArgumentNullException.ThrowIfNull(modelDirectory);
        var config = TokenizerChatConfig.Load(Path.Combine(modelDirectory, "tokenizer_config.json"));
        return new ChatPrompt(Tokenizer.FromDirectory(modelDirectory), config);
    }

    /// <summary>
    /// The generation limit for a model with <paramref name="modelVocabSize"/> logits: ids the tokenizer has no text for
    /// (the padding of Qwen-style models, whose logits outnumber the tokenizer's ids) must never be generated.
    /// </summary>
    public int TokenIdLimit(int modelVocabSize) => Math.Min(Tokenizer.VocabularySize, modelVocabSize);

    /// <summary>
    /// Renders the conversation with the generation prompt and tokenizes it without adding special tokens, as
    /// transformers' apply_chat_template does (the template writes any BOS itself). Special tokens' text in message
    /// content is tokenized as plain text, so only the template's own markup yields control tokens, unless
    /// <paramref name="specialTokensInContent"/> (then a message can contain, and forge, turn markers).
    /// <paramref name="tools"/> become the template's <c>tools</c> variable, as transformers passes them.
    /// </summary>
    public int[] Encode(IReadOnlyList<ChatMessage> messages, bool specialTokensInContent = false, TemplateValue? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (specialTokensInContent)
        {
            return Tokenizer.Encode(Render(messages, tools), addSpecialTokens: false);
        }

        var (hidden, plane) = _shield.Hide(messages);
        var (text, literal) = _shield.Reveal(Render(hidden, tools), plane);
        return Tokenizer.Encode(text, addSpecialTokens: false, literal);
    }

    private string Render(IReadOnlyList<ChatMessage> messages, TemplateValue? tools) =>
        _template.Render(_config.CreateContext(messages.Select(message => message.ToTemplateValue()), addGenerationPrompt: true, tools));
}
