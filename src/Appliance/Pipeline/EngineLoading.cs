using Appliance.Engine;
using Appliance.Inference.Sessions;
using Appliance.Telemetry.Metrics;
using Microsoft.Extensions.Logging;

namespace Appliance.Pipeline;

/// <summary>
/// Puts a loaded model into the <see cref="EngineSlot"/> and tells <see cref="ServiceReadiness"/>: at start and on
/// reload. A model that fails to load leaves the slot empty and the state error (requests answered model_unavailable);
/// the service stays up. Knows no front door.
/// </summary>
internal sealed partial class EngineLoading(
    EngineOptions options,
    IGenerationEngineLoader loader,
    EngineSlot engines,
    ServiceReadiness readiness,
    ApplianceMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    /// <summary>Why a load ended without a model when it was cancelled: only a stop cancels it.</summary>
    public const string StoppingReason = "the service is stopping";

    public string? ModelPath => options.ModelPath;

    /// <summary>Loads the model; never throws: a failure comes back as the reason, already logged.</summary>
    public async Task<(IGenerationEngine? Engine, string? Error)> LoadAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            var engine = await loader.LoadAsync(options, cancellationToken).ConfigureAwait(false);
            var elapsed = time.GetElapsedTime(started);
            metrics.ModelLoaded(elapsed);
            LogModelLoaded(logger, engine.ModelName, engine.ContextLength, elapsed.TotalSeconds);
            LogSessionCache(engine.SessionCache);
            return (engine, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, StoppingReason);
        }
        catch (Exception error)
        {
            var path = options.ModelPath ?? "(none)";
            var reason = ModelLoadFailure.OneLine(error);
            if (ModelLoadFailure.IsBug(error))
            {
                LogModelLoadBug(logger, path, error);
            }
            else
            {
                LogModelFailed(logger, path, reason);
            }

            return (null, reason);
        }
    }

    /// <summary>Puts the engine to work, or the failure into the state.</summary>
    public void Install((IGenerationEngine? Engine, string? Error) loaded)
    {
        if (loaded.Engine is { } engine)
        {
            engines.Set(engine);
            readiness.Loaded(engine.ModelName);
        }
        else
        {
            var reason = $"the model failed to load: {loaded.Error}";
            engines.Clear(reason);
            readiness.Failed(reason);
        }
    }

    private void LogSessionCache(SessionCacheResult cache)
    {
        if (cache.Problem is { } problem)
        {
            LogSessionCacheProblem(logger, problem);
        }
        else if (cache.Outcome != SessionCacheOutcome.Off)
        {
            LogSessionCacheOutcome(logger, cache.Outcome);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "session cache: {Outcome}")]
    private static partial void LogSessionCacheOutcome(ILogger logger, SessionCacheOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "session cache: {Problem}")]
    private static partial void LogSessionCacheProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "model {Model} loaded ({ContextLength} tokens of context) in {Seconds:F1} s")]
    private static partial void LogModelLoaded(ILogger logger, string model, int contextLength, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "the model at {Path} failed to load: {Reason}; the service stays up in state error, answering model_unavailable")]
    private static partial void LogModelFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "the model at {Path} failed to load because of a bug in the appliance")]
    private static partial void LogModelLoadBug(ILogger logger, string path, Exception error);
}
