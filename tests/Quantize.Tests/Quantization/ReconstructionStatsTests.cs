using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Tests.Quantization;

public sealed class ReconstructionStatsTests
{
    [Fact]
    public void Measure_computes_max_mean_rms_and_relative_frobenius_error()
    {
        float[] original = [3, -4, 0, 0];
        float[] restored = [3, -4, 1, -1];

        var stats = ReconstructionStats.Measure(original, restored);

        Assert.Equal(4, stats.Count);
        Assert.Equal(1, stats.MaxAbsError);
        Assert.Equal(0.5, stats.MeanAbsError);
        Assert.Equal(Math.Sqrt(0.5), stats.Rmse, 12);
        Assert.Equal(Math.Sqrt(2) / 5, stats.RelativeFrobeniusError, 12);
    }

    [Fact]
    public void Measure_rejects_spans_of_different_lengths()
    {
        var error = Assert.Throws<ArgumentException>(() => ReconstructionStats.Measure([1f, 2f], [1f]));

        Assert.Contains("2 original weights with 1 reconstructed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_form_lists_every_measure()
    {
        var text = new ReconstructionStats(10, 0.5, 0.25, 0.125, 0.01).ToString();

        Assert.Equal("max 0.5, mean 0.25, rmse 0.125, rel 1.000 % over 10 weights", text);
    }
}
