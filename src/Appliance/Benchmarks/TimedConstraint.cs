using System.Diagnostics;
using Appliance.Inference.Generation;

namespace Appliance.Benchmarks;

/// <summary>Passes a constraint through while adding up the time its masking and advancing take, per token.</summary>
internal sealed class TimedConstraint(ITokenConstraint inner) : ITokenConstraint
{
    public bool IsComplete => inner.IsComplete;

    public bool IsFinished => inner.IsFinished;

    /// <summary>Stopwatch ticks spent in Mask and Accept.</summary>
    public long Ticks { get; private set; }

    /// <summary>The longest single Mask + Accept, in ticks.</summary>
    public long MaxTicks { get; private set; }

    public int Masks { get; private set; }

    private long _pending;

    public void Begin(ReadOnlySpan<int> stopTokens) => inner.Begin(stopTokens);

    public ReadOnlySpan<float> Mask(ReadOnlySpan<float> logits, int tokensLeft)
    {
        var start = Stopwatch.GetTimestamp();
        var masked = inner.Mask(logits, tokensLeft);
        _pending = Stopwatch.GetTimestamp() - start;
        Masks++;
        Ticks += _pending;
        MaxTicks = Math.Max(MaxTicks, _pending);
        return masked;
    }

    public void Accept(int tokenId)
    {
        var start = Stopwatch.GetTimestamp();
        inner.Accept(tokenId);
        var elapsed = Stopwatch.GetTimestamp() - start;
        Ticks += elapsed;
        MaxTicks = Math.Max(MaxTicks, _pending + elapsed);
    }
}
