using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Appliance.Inference.Models;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Generation;

/// <summary>
/// Turns a prompt's token ids into generated token ids: one prefill pass over the prompt, then one decode step per
/// token, each choosing the next token with a <see cref="Sampler"/> until a stop token, the token limit or the
/// caller says stop. Tokens stream to a callback as they are chosen. One request at a time; the decode loop
/// allocates no managed memory once running. With prefix cache slots, the prompt's leading tokens that a kept
/// request already ran (prompt and reply) are not prefilled again: their keys and values are still in the cache.
/// </summary>
public sealed class Generator : IDisposable
{
    private readonly RunOptions _runOptions = new();
    private readonly int[] _defaultStopTokens;
    private readonly Sampler _sampler;
    private readonly PrefixCache? _prefixCache;
    private int _busy;

    /// <summary>Takes ownership of <paramref name="decoder"/>.</summary>
    public Generator(DecoderSession decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        Decoder = decoder;
        _defaultStopTokens = [.. decoder.Model.Config.Model.EosTokenId];
        _sampler = new Sampler(decoder.VocabSize, SamplerSettings.Greedy);
        _prefixCache = decoder.PrefixCacheSlots > 0 ? new PrefixCache(decoder.PrefixCacheSlots, decoder.Capacity) : null;
    }

    /// <summary>
    /// The decoder. With prefix cache slots (<see cref="DecoderSessionOptions.PrefixCacheSlots"/>) the generator owns
    /// its caches: running it directly between requests would leave the kept prefixes describing the wrong keys and values.
    /// </summary>
    public DecoderSession Decoder { get; }

    /// <summary>The stop tokens used when a request names none (genai_config.json eos_token_id).</summary>
    public IReadOnlyList<int> DefaultStopTokenIds => _defaultStopTokens;

    public static Generator Open(ModelDirectory model, DecoderSessionOptions? options = null) =>
        new(DecoderSession.Open(model, options));

    /// <summary>
    /// Generates on the calling thread. Cancelling <paramref name="cancellationToken"/> or <paramref name="timeLimit"/>
    /// terminates a running forward pass through ONNX Runtime and ends generation without throwing: the result holds
    /// what was generated until then, with <see cref="FinishReason.Cancelled"/> or <see cref="FinishReason.Timeout"/>
    /// (cancellation wins when both fired).
    /// </summary>
    /// <exception cref="ContextLengthExceededException">The prompt leaves no room for the tokens <paramref name="options"/> ask for.</exception>
    public GenerationResult Generate(
        ReadOnlySpan<int> prompt,
        GenerationOptions options,
        TokenCallback? onToken = null,
        CancellationToken cancellationToken = default,
        CancellationToken timeLimit = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (prompt.IsEmpty)
        {
            throw new ArgumentException("The prompt needs at least one token.", nameof(prompt));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxNewTokens, nameof(options.MaxNewTokens));
        if (options.TokenIdLimit is < 1 || options.TokenIdLimit > Decoder.VocabSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.TokenIdLimit, $"TokenIdLimit must be in [1, {Decoder.VocabSize}] (the model's vocab_size).");
        }

        var maxNewTokens = options.TokenBudget(prompt.Length, Decoder.Capacity);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("The generator is already running a request; it serves one at a time.");
        }

        try
        {
            _sampler.Reset(options.Sampling, options.TokenIdLimit ?? Decoder.VocabSize);
            var stopTokens = options.StopTokenIds is null ? _defaultStopTokens : [.. options.StopTokenIds];
            using var cancelled = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, _runOptions);
            using var timedOut = timeLimit.Register(static state => ((RunOptions)state!).Terminate = true, _runOptions);
            return Run(prompt, maxNewTokens, stopTokens, options.Constraint, onToken, new Interruption(cancellationToken, timeLimit));
        }
        finally
        {
            _runOptions.Terminate = false;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Generates on a dedicated thread so the caller's thread (or the thread pool) is never blocked by compute.</summary>
    public Task<GenerationResult> GenerateAsync(
        ReadOnlyMemory<int> prompt,
        GenerationOptions options,
        TokenCallback? onToken = null,
        CancellationToken cancellationToken = default,
        CancellationToken timeLimit = default) =>
        Task.Factory.StartNew(
            () => Generate(prompt.Span, options, onToken, cancellationToken, timeLimit),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    /// <summary>
    /// Streams generated tokens as they are chosen; generation runs on a dedicated thread. A consumer that stops
    /// early cancels the generation, and the generator is free again once the enumeration is disposed.
    /// </summary>
    public async IAsyncEnumerable<int> StreamAsync(
        ReadOnlyMemory<int> prompt,
        GenerationOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var generation = GenerateAsync(prompt, options, token => channel.Writer.TryWrite(token), abandon.Token);
        _ = generation.ContinueWith(
            task => channel.Writer.TryComplete(task.Exception?.InnerException ?? (cancellationToken.IsCancellationRequested ? new OperationCanceledException(cancellationToken) : null)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        try
        {
            await foreach (var token in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return token;
            }
        }
        finally
        {
            if (!generation.IsCompleted)
            {
                await abandon.CancelAsync().ConfigureAwait(false);
            }

            // Failures already reached the consumer through the channel.
            await ((Task)generation).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        Decoder.Dispose();
        _runOptions.Dispose();
    }

    private static ReadOnlySpan<float> Constrain(ReadOnlySpan<float> logits, ITokenConstraint? constraint, int tokensLeft) =>
        constraint is null ? logits : constraint.Mask(logits, tokensLeft);

    // A cancel between two passes needs no check here: the terminate flag it set stops the next pass at once.
    private GenerationResult Run(
        ReadOnlySpan<int> prompt, int maxNewTokens, int[] stopTokens, ITokenConstraint? constraint, TokenCallback? onToken, Interruption interruption)
    {
        var progress = new Progress(new int[maxNewTokens], new TimeSpan[maxNewTokens]);
        var start = Stopwatch.GetTimestamp();
        var (slot, reused) = _prefixCache?.Claim(prompt) ?? (0, 0);
        Decoder.SelectSlot(slot);
        Decoder.Truncate(reused);
        progress.CachedPromptTokens = reused;
        FinishReason reason;
        try
        {
            reason = interruption.Reason ?? Decode(prompt, maxNewTokens, stopTokens, constraint, onToken, start, ref progress);
        }
        catch (OnnxRuntimeException) when (interruption.Reason is not null)
        {
            // The terminate flag stopped a forward pass: the reply is what was generated before it.
            reason = interruption.Reason.Value;
        }
        finally
        {
            // A failed pass leaves the cache as it was before it, so the decoder's length says what the slot holds.
            _prefixCache?.Keep(Decoder.Slot, prompt, progress.Tokens.AsSpan(0, progress.Count), Decoder.Length);
        }

        var timings = new GenerationTimings(
            prompt.Length, progress.CachedPromptTokens, progress.Prefill, progress.TimeToFirstToken, progress.DecodeSteps, progress.Steps, Stopwatch.GetElapsedTime(start));
        return new GenerationResult(progress.Tokens.AsSpan(0, progress.Count).ToArray(), reason, timings);
    }

    private FinishReason Decode(
        ReadOnlySpan<int> prompt, int maxNewTokens, int[] stopTokens, ITokenConstraint? constraint, TokenCallback? onToken, long start, ref Progress progress)
    {
        Decoder.Forward(prompt[progress.CachedPromptTokens..], _runOptions);
        progress.Prefill = Stopwatch.GetElapsedTime(start);
        _sampler.Observe(prompt);
        constraint?.Begin(stopTokens);
        var token = _sampler.Sample(Constrain(Decoder.Logits, constraint, maxNewTokens));
        progress.TimeToFirstToken = Stopwatch.GetElapsedTime(start);
        while (true)
        {
            if (Array.IndexOf(stopTokens, token) >= 0)
            {
                return FinishReason.EndOfSequence;
            }

            progress.Tokens[progress.Count++] = token;
            _sampler.Observe(token);
            constraint?.Accept(token);
            if (onToken is not null && !onToken(token))
            {
                return FinishReason.StoppedByCaller;
            }

            if (progress.Count == maxNewTokens || constraint is { IsFinished: true })
            {
                // A constrained value that is complete ends as end of sequence, even at the token limit.
                return progress.Count < maxNewTokens || constraint is { IsComplete: true } ? FinishReason.EndOfSequence : FinishReason.Length;
            }

            var stepStart = Stopwatch.GetTimestamp();
            Decoder.Forward(new ReadOnlySpan<int>(in token), _runOptions);
            token = _sampler.Sample(Constrain(Decoder.Logits, constraint, maxNewTokens - progress.Count));
            progress.DecodeSteps[progress.Steps++] = Stopwatch.GetElapsedTime(stepStart);
        }
    }

    /// <summary>What a generation has done so far; kept by the caller so an interrupted one still reports it.</summary>
    private struct Progress(int[] tokens, TimeSpan[] decodeSteps)
    {
        public readonly int[] Tokens = tokens;
        public readonly TimeSpan[] DecodeSteps = decodeSteps;
        public int Count;
        public int Steps;
        public int CachedPromptTokens;
        public TimeSpan Prefill;
        public TimeSpan TimeToFirstToken;
    }

    /// <summary>The two ways a caller ends a generation early, checked in this order.</summary>
    private readonly record struct Interruption(CancellationToken Cancellation, CancellationToken TimeLimit)
    {
        public FinishReason? Reason =>
            Cancellation.IsCancellationRequested ? FinishReason.Cancelled
            : TimeLimit.IsCancellationRequested ? FinishReason.Timeout
            : null;
    }
}
