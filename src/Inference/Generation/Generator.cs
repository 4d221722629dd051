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
/// allocates no managed memory once running.
/// </summary>
public sealed class Generator : IDisposable
{
    private readonly RunOptions _runOptions = new();
    private readonly int[] _defaultStopTokens;
    private readonly Sampler _sampler;
    private int _busy;

    /// <summary>Takes ownership of <paramref name="decoder"/>.</summary>
    public Generator(DecoderSession decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        Decoder = decoder;
        _defaultStopTokens = [.. decoder.Model.Config.Model.EosTokenId];
        _sampler = new Sampler(decoder.VocabSize, SamplerSettings.Greedy);
    }

    public DecoderSession Decoder { get; }

    /// <summary>The stop tokens used when a request names none (genai_config.json eos_token_id).</summary>
    public IReadOnlyList<int> DefaultStopTokenIds => _defaultStopTokens;

    public static Generator Open(ModelDirectory model, DecoderSessionOptions? options = null) =>
        new(DecoderSession.Open(model, options));

    /// <summary>
    /// Generates on the calling thread. Cancelling <paramref name="cancellationToken"/> terminates a running forward
    /// pass through ONNX Runtime and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <exception cref="ContextLengthExceededException">prompt + MaxNewTokens exceed the model's sequence length.</exception>
    public GenerationResult Generate(
        ReadOnlySpan<int> prompt,
        GenerationOptions options,
        TokenCallback? onToken = null,
        CancellationToken cancellationToken = default)
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

        if (prompt.Length + options.MaxNewTokens > Decoder.Capacity)
        {
            var needed = prompt.Length + options.MaxNewTokens;
            throw new ContextLengthExceededException(
                $"prompt ({prompt.Length} tokens) + max new tokens ({options.MaxNewTokens}) = {needed} " +
                $"exceeds the model's maximum sequence length of {Decoder.Capacity}.",
                needed,
                Decoder.Capacity);
        }

        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("The generator is already running a request; it serves one at a time.");
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            _sampler.Reset(options.Sampling, options.TokenIdLimit ?? Decoder.VocabSize);
            var stopTokens = options.StopTokenIds is null ? _defaultStopTokens : [.. options.StopTokenIds];
            using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, _runOptions);
            try
            {
                return Run(prompt, options.MaxNewTokens, stopTokens, options.Constraint, onToken);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("Generation was cancelled.", cancellationToken);
            }
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
        CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(
            () => Generate(prompt.Span, options, onToken, cancellationToken),
            cancellationToken,
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
            task => channel.Writer.TryComplete(task.Exception?.InnerException ?? (task.IsCanceled ? new OperationCanceledException(cancellationToken) : null)),
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

    private GenerationResult Run(ReadOnlySpan<int> prompt, int maxNewTokens, int[] stopTokens, ITokenConstraint? constraint, TokenCallback? onToken)
    {
        var tokens = new int[maxNewTokens];
        var decodeSteps = new TimeSpan[maxNewTokens];
        var count = 0;
        var steps = 0;
        var start = Stopwatch.GetTimestamp();
        Decoder.Reset();
        Decoder.Forward(prompt, _runOptions);
        var prefill = Stopwatch.GetElapsedTime(start);
        _sampler.Observe(prompt);
        constraint?.Begin(stopTokens);
        var token = _sampler.Sample(Constrain(Decoder.Logits, constraint, maxNewTokens));
        var timeToFirstToken = Stopwatch.GetElapsedTime(start);

        FinishReason reason;
        while (true)
        {
            if (Array.IndexOf(stopTokens, token) >= 0)
            {
                reason = FinishReason.EndOfSequence;
                break;
            }

            tokens[count++] = token;
            _sampler.Observe(token);
            constraint?.Accept(token);
            if (onToken is not null && !onToken(token))
            {
                reason = FinishReason.StoppedByCaller;
                break;
            }

            if (count == maxNewTokens || constraint is { IsFinished: true })
            {
                reason = count < maxNewTokens || constraint is { IsComplete: true } ? FinishReason.EndOfSequence : FinishReason.Length;
                break;
            }

            var stepStart = Stopwatch.GetTimestamp();
            Decoder.Forward(new ReadOnlySpan<int>(in token), _runOptions);
            token = _sampler.Sample(Constrain(Decoder.Logits, constraint, maxNewTokens - count));
            decodeSteps[steps++] = Stopwatch.GetElapsedTime(stepStart);
        }

        var timings = new GenerationTimings(prompt.Length, prefill, timeToFirstToken, decodeSteps, steps);
        return new GenerationResult(tokens.AsSpan(0, count).ToArray(), reason, timings);
    }
}
