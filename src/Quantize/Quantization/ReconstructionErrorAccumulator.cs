namespace Appliance.Quantize.Quantization;

/// <summary>Running sums behind <see cref="ReconstructionStats"/>; merged in a fixed order so parallel runs give identical stats.</summary>
internal struct ReconstructionErrorAccumulator
{
    private long _count;
    private double _maxAbs;
    private double _sumAbs;
    private double _sumSquared;
    private double _sumOriginalSquared;

    public void Add(float original, float reconstructed)
    {
        var error = Math.Abs((double)original - reconstructed);
        _count++;
        _maxAbs = Math.Max(_maxAbs, error);
        _sumAbs += error;
        _sumSquared += error * error;
        _sumOriginalSquared += (double)original * original;
    }

    public void Add(in ReconstructionErrorAccumulator other)
    {
        _count += other._count;
        _maxAbs = Math.Max(_maxAbs, other._maxAbs);
        _sumAbs += other._sumAbs;
        _sumSquared += other._sumSquared;
        _sumOriginalSquared += other._sumOriginalSquared;
    }

    public readonly ReconstructionStats ToStats()
    {
        if (_count == 0)
        {
            return new ReconstructionStats(0, 0, 0, 0, 0);
        }

        var relative = _sumOriginalSquared > 0 ? Math.Sqrt(_sumSquared / _sumOriginalSquared) : (_sumSquared > 0 ? double.PositiveInfinity : 0);
        return new ReconstructionStats(_count, _maxAbs, _sumAbs / _count, Math.Sqrt(_sumSquared / _count), relative);
    }
}
