using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Sessions;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using System.Diagnostics;

namespace Appliance.Engine;

/// <summary>
/// The real engine: a model directory's generator, tokenizer and chat template on ONNX Runtime. The one path from a
/// request to text, for the service and the CLI alike.
/// </summary>
internal sealed class OnnxGenerationEngine : IGenerationEngine
{
    private readonly LoadedModel _model;
    private readonly ChatPrompt _chat;
    private readonly int _tokenIdLimit;

    public OnnxGenerationEngine(LoadedModel model, ChatPrompt chat)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(chat);
        _model = model;
        _chat = chat;
        _tokenIdLimit = chat.TokenIdLimit(model.Generator.Decoder.VocabSize);
        var directory = model.Directory;
        ModelName = directory.Manifest?.Source.ModelId is { Length: > 0 } id ? id : Path.GetFileName(directory.Path);
    }

    public string ModelName { get; }

    public int ContextLength => _model.Generator.Decoder.Capacity;

    public SessionCacheResult SessionCache => _model.Generator.Decoder.SessionCache;

    /// <summary>genai_config.json's search section: the sampling a request gets for what it leaves unset.</summary>
    public GenAiSearch SearchDefaults => _model.Directory.Config.Search;

    public async Task<EngineReply> GenerateAsync(EngineRequest request, ReplyDeltaCallback? onDelta, CancellationToken cancellationToken, CancellationToken timeLimit = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = Stopwatch.GetTimestamp();
        var prompt = Encode(request.Messages, request.SpecialTokensInContent, request.Tools);
        var toolTurn = request.Tools is { } tools ? ToolCallTurn.Start(tools, _chat) : null;
        var sampling = request.Sampling.Resolve(SearchDefaults, (ulong)Random.Shared.NextInt64());
        var options = request.Limits with
        {
            Sampling = sampling,
            TokenIdLimit = _tokenIdLimit,
            Constraint = (ITokenConstraint?)toolTurn?.Constraint
                ?? (request.ResponseFormat is { } grammar ? new JsonConstraint(grammar, TokenVocabulary.For(_chat.Tokenizer)) : null),
        };
        var text = new ReplyTextStream(_chat.Tokenizer, request.Stop, onDelta ?? (static _ => { }));
        var result = await _model.Generator.GenerateAsync(prompt, options, text.Write, cancellationToken, timeLimit).ConfigureAwait(false);
        text.Finish();
        var (replyText, calls) = toolTurn is null ? (text.Text, []) : toolTurn.Split(text.Text);
        return new EngineReply(
            replyText,
            result.FinishReason,
            new TokenUsage(prompt.Length, result.Tokens.Count) { CachedPromptTokens = result.Timings.CachedPromptTokens },
            ReplyTimings.From(result.Timings, Stopwatch.GetElapsedTime(start)),
            sampling)
        {
            ToolCalls = calls,
        };
    }

    public void Dispose()
    {
        _model.Dispose();
    }

    private int[] Encode(IReadOnlyList<ChatMessage> messages, bool specialTokensInContent, ToolRequest? tools)
    {
        try
        {
            return _chat.Encode(messages, specialTokensInContent, tools?.TemplateTools);
        }
        catch (TemplateRaisedException refusal)
        {
            throw new InvalidConversationException($"the model's chat template refused the conversation: {refusal.Detail}", refusal);
        }
    }
}
