using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>Same weights, same bytes: rows run in parallel, but nothing depends on scheduling.</summary>
public sealed class DeterminismTests
{
    [Theory]
    [InlineData(QuantizationMethod.RoundToNearest)]
    [InlineData(QuantizationMethod.HalfQuadratic)]
    public void Quantizing_twice_gives_identical_bytes_and_stats(QuantizationMethod method)
    {
        // 200 rows span many parallel chunks.
        var weights = QuantizationTestData.WithOutliers(200, 96, seed: 41);
        var options = new BlockQuantizationOptions { Method = method };

        var first = BlockQuantizer.Quantize(weights, 200, 96, options);
        var second = BlockQuantizer.Quantize(weights.ToArray(), 200, 96, options);

        Assert.Equal(first.Data.ToArray(), second.Data.ToArray());
        Assert.Equal(first.EncodeScales(), second.EncodeScales());
        Assert.Equal(first.ZeroPoints.ToArray(), second.ZeroPoints.ToArray());
        Assert.Equal(first.Error, second.Error);
    }
}
