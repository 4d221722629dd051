using Appliance.Inference.Templates;
using Appliance.Inference.Tokenization;

namespace Appliance.Replies;

/// <summary>A model directory's tokenizer and chat template: a conversation in, the prompt's token ids out.</summary>
internal sealed class ChatPrompt
{
    private readonly TokenizerChatConfig _config;
    private readonly ChatTemplate _template;

    private ChatPrompt(Tokenizer tokenizer, TokenizerChatConfig config)
    {
        Tokenizer = tokenizer;
        _config = config;
        _template = config.RequireTemplate();
    }

    public Tokenizer Tokenizer { get; }

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
    /// transformers' apply_chat_template does (the template writes any BOS itself).
    /// </summary>
    public int[] Encode(IEnumerable<ChatMessage> messages)
    {
        var text = _template.Render(_config.CreateContext(messages.Select(message => message.ToTemplateValue()), addGenerationPrompt: true));
        return Tokenizer.Encode(text, addSpecialTokens: false);
    }
}
