using Appliance.Engine;

namespace Appliance.Pipeline;

/// <summary>The engine requests run on, or why there is none (loading, failed, reloading): `model_unavailable`.</summary>
internal sealed class EngineSlot
{
    private readonly Lock _gate = new();
    private IGenerationEngine? _engine;
    private string _unavailableReason = "the model is loading";

    public bool TryGet(out IGenerationEngine engine, out string unavailableReason)
    {
        lock (_gate)
        {
            engine = _engine!;
            unavailableReason = _unavailableReason;
            return _engine is not null;
        }
    }

    public void Set(IGenerationEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        lock (_gate)
        {
            _engine = engine;
        }
    }

    /// <summary>Empties the slot, returning the engine it held (for disposal) and answering requests with <paramref name="reason"/> meanwhile.</summary>
    public IGenerationEngine? Clear(string reason)
    {
        lock (_gate)
        {
            var engine = _engine;
            _engine = null;
            _unavailableReason = reason;
            return engine;
        }
    }
}
