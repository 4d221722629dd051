using System.Diagnostics;
using Appliance.Inference.Generation;

namespace Appliance.Benchmarks;

/// <summary>
/// Passes a constraint through while adding up the time its masking and advancing take, per token. The first mask
/// of a request is kept apart: it also sizes the request's buffers.
/// </summary>
internal sealed class TimedConstraint(ITokenConstraint inner) : ITokenConstraint
{
    public bool IsComplete => inner.IsComplete;

    public bool IsFinished => inner.IsFinished;

    /// <summary>Stopwatch ticks spent in Mask and Accept after the first mask.</summary>
    public long Ticks { get; private set; }

    /// <summary>The longest single Mask + Accept after the first mask, in ticks.</summary>
    public long MaxTicks { get; private set; }

    /// <summary>The first mask's ticks.</summary>
    public long FirstTicks { get; private set; }

    /// <summary>Masks after the first.</summary>
    public int Masks { get; private set; }

    private long _pending;

    public void Begin(ReadOnlySpan<int> stopTokens) => inner.Begin(stopTokens);

    public ReadOnlySpan<float> Mask(ReadOnlySpan<float> logits, int tokensLeft)
    {
        var start = Stopwatch.GetTimestamp();
        var masked = inner.Mask(logits, tokensLeft);
        var elapsed = Stopwatch.GetTimestamp() - start;
        if (FirstTicks == 0)
        {
            FirstTicks = elapsed;
            _pending = -1;
            return masked;
        }

        _pending = elapsed;
        Masks++;
        Ticks += elapsed;
        MaxTicks = Math.Max(MaxTicks, elapsed);
        return masked;
    }

    public void Accept(int tokenId)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Accept(tokenId);
        var elapsed = Stopwatch.GetTimestamp() - start;
        if (_pending < 0)
        {
            FirstTicks += elapsed;
            return;
        }

        Ticks += elapsed;
        MaxTicks = Math.Max(MaxTicks, _pending + elapsed);
    }
}
