using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Structured;
using Appliance.Tests.Mqtt;
using System.Text;
using System.Threading.Channels;

namespace Appliance.Tests.MqttService;

/// <summary>
/// A deterministic engine: every reply is <see cref="Pieces"/>, one piece per token; prompt tokens are the words of the
/// conversation. When <see cref="Stepped"/>, each token waits for <see cref="Step"/> (or cancellation), so a test
/// holds a request mid-stream exactly where it wants it.
/// </summary>
internal sealed class ScriptedEngine : IGenerationEngine
{
    private readonly SemaphoreSlim _steps = new(0);
    private readonly Channel<EngineRequest> _started = Channel.CreateUnbounded<EngineRequest>();
    private int _calls;

    public string ModelName { get; init; } = "scripted-model";

    public int ContextLength { get; init; } = 2048;

    public bool Stepped { get; init; }

    public IReadOnlyList<string> Pieces { get; init; } = ["Hello", ",", " world", "!"];

    /// <summary>The calls a reply makes when its request offers tools and the last message is not a tool result.</summary>
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    public string Text => string.Concat(Pieces);

    public int Calls => Volatile.Read(ref _calls);

    private readonly TaskCompletionSource _disposal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDisposed => _disposal.Task.IsCompleted;

    /// <summary>Completes when the service disposes the engine.</summary>
    public Task Disposal => _disposal.Task;

    /// <summary>Lets <paramref name="tokens"/> more tokens through (stepped engines).</summary>
    public void Step(int tokens = 1) => _steps.Release(tokens);

    /// <summary>The next request that began generating.</summary>
    public async Task<EngineRequest> NextStartedAsync() => await _started.Reader.ReadAsync(MqttTestTimeouts.Token()).ConfigureAwait(false);

    public async Task<EngineReply> GenerateAsync(EngineRequest request, ReplyDeltaCallback? onDelta, CancellationToken cancellationToken, CancellationToken timeLimit = default)
    {
        Interlocked.Increment(ref _calls);
        var promptTokens = request.Messages.Sum(message => message.Content.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        var budget = request.Limits.TokenBudget(promptTokens, ContextLength);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeLimit);

        _started.Writer.TryWrite(request);
        var text = new StringBuilder();
        var generated = 0;
        var finish = FinishReason.EndOfSequence;
        foreach (var piece in Pieces)
        {
            if (generated == budget)
            {
                finish = FinishReason.Length;
                break;
            }

            if (Stepped)
            {
                try
                {
                    await _steps.WaitAsync(either.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    finish = Interrupted();
                    break;
                }
            }
            else if (either.IsCancellationRequested)
            {
                finish = Interrupted();
                break;
            }

            onDelta?.Invoke(piece);
            text.Append(piece);
            generated++;
        }

        return new EngineReply(text.ToString(), finish, new TokenUsage(promptTokens, generated), new ReplyTimings(5, 4, 200, 40, 20), SamplerSettings.Greedy)
        {
            // Calls its tools until the conversation brings a tool's result back, then answers with text.
            ToolCalls = request.Tools is null || request.Messages[^1].Role == "tool" ? [] : ToolCalls,
        };

        // As the generator decides: cancellation wins over the time limit.
        FinishReason Interrupted() => cancellationToken.IsCancellationRequested ? FinishReason.Cancelled : FinishReason.Timeout;
    }

    public void Dispose()
    {
        _steps.Dispose();
        _disposal.TrySetResult();
    }
}

/// <summary>Hands out the given engines in turn (the last one again when they run out), or fails with <see cref="Failure"/>.</summary>
internal sealed class ScriptedEngineLoader(params IGenerationEngine[] engines) : IGenerationEngineLoader
{
    private int _loads;

    public Exception? Failure { get; init; }

    public int Loads => Volatile.Read(ref _loads);

    public Task<IGenerationEngine> LoadAsync(EngineOptions options, CancellationToken cancellationToken)
    {
        var load = Interlocked.Increment(ref _loads) - 1;
        return Failure is not null ? Task.FromException<IGenerationEngine>(Failure) : Task.FromResult(engines[Math.Min(load, engines.Length - 1)]);
    }
}
