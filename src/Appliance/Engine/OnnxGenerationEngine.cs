using System.Diagnostics;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using Appliance.Replies;

namespace Appliance.Engine;

/// <summary>The real engine: a model directory's generator, tokenizer and chat template on ONNX Runtime.</summary>
internal sealed class OnnxGenerationEngine : IGenerationEngine
{
    private readonly Generator _generator;
    private readonly ChatPrompt _chat;
    private readonly GenAiSearch _defaults;
    private readonly int _tokenIdLimit;

    public OnnxGenerationEngine(ModelDirectory model, Generator generator, ChatPrompt chat)
    {
        ArgumentNullException.ThrowIfNull(model);
        _generator = generator;
        _chat = chat;
        _defaults = model.Config.Search;

        _tokenIdLimit = chat.TokenIdLimit(generator.Decoder.VocabSize);
        ModelName = model.Manifest?.Source.ModelId is { Length: > 0 } id ? id : Path.GetFileName(model.Path);
    }

    public string ModelName { get; }

    public int ContextLength => _generator.Decoder.Capacity;

    public async Task<EngineReply> GenerateAsync(EngineRequest request, ReplyDeltaCallback? onDelta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var start = Stopwatch.GetTimestamp();
        var prompt = Encode(request.Messages, request.SpecialTokensInContent);
        var options = new GenerationOptions
        {
            MaxNewTokens = request.TokenBudget(prompt.Length, ContextLength),
            Sampling = EngineSampling.Resolve(request, _defaults, (ulong)Random.Shared.NextInt64()),
            TokenIdLimit = _tokenIdLimit,
            Constraint = request.ResponseFormat is { } grammar ? new JsonConstraint(grammar, TokenVocabulary.For(_chat.Tokenizer)) : null,
        };
        var text = new ReplyTextStream(_chat.Tokenizer, request.Stop, onDelta ?? (static _ => { }));
        var generated = 0;
        long firstToken = 0;
        bool OnToken(int tokenId)
        {
            if (generated++ == 0)
            {
                firstToken = Stopwatch.GetTimestamp();
            }

            // Checked here too so a cancel between two forward passes ends the reply without an exception.
            return text.Write(tokenId) && !cancellationToken.IsCancellationRequested;
        }

        GenerationResult? result = null;
        try
        {
            result = await _generator.GenerateAsync(prompt, options, OnToken, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reply ends here; what was generated is still reported.
        }

        text.Finish();
        var finish = result?.FinishReason switch
        {
            FinishReason.EndOfSequence => ReplyFinishReason.Stop,
            FinishReason.Length => ReplyFinishReason.Length,
            FinishReason.StoppedByCaller when text.IsStopped => ReplyFinishReason.Stop,
            _ => ReplyFinishReason.Cancelled,
        };
        return new EngineReply(text.Text, finish, new TokenUsage(prompt.Length, generated), Timings(result, start, firstToken, prompt.Length, generated));
    }

    public void Dispose()
    {
        _generator.Dispose();
    }

    private int[] Encode(IReadOnlyList<ChatMessage> messages, bool specialTokensInContent)
    {
        try
        {
            return _chat.Encode(messages, specialTokensInContent);
        }
        catch (TemplateRaisedException refusal)
        {
            throw new InvalidConversationException($"the model's chat template refused the conversation: {refusal.Detail}", refusal);
        }
    }

    private static ReplyTimings Timings(GenerationResult? result, long start, long firstToken, int promptTokens, int generated)
    {
        var total = Stopwatch.GetElapsedTime(start);
        if (result is not null)
        {
            var timings = result.Timings;
            return new ReplyTimings(timings.TimeToFirstToken.TotalMilliseconds, timings.PrefillTokensPerSecond, timings.DecodeTokensPerSecond, total.TotalMilliseconds);
        }

        // Cancelled inside a forward pass: only the wall clock knows how far it got.
        if (generated == 0)
        {
            return new ReplyTimings(0, 0, 0, total.TotalMilliseconds);
        }

        var toFirst = Stopwatch.GetElapsedTime(start, firstToken);
        var decode = total - toFirst;
        return new ReplyTimings(
            toFirst.TotalMilliseconds,
            toFirst > TimeSpan.Zero ? promptTokens / toFirst.TotalSeconds : 0,
            generated > 1 && decode > TimeSpan.Zero ? (generated - 1) / decode.TotalSeconds : 0,
            total.TotalMilliseconds);
    }
}
