using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>HQQ refines the round-to-nearest grid: lower mean error overall and never worse on any block.</summary>
public sealed class HalfQuadraticTests
{
    private const int Rows = 64;
    private const int Columns = 512;

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var weights in new[] { "gaussian", "outliers" })
        {
            data.Add(weights, 4, 32);
            data.Add(weights, 4, 128);
            data.Add(weights, 8, 32);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hqq_has_lower_mean_error_than_asymmetric_round_to_nearest(string distribution, int bits, int blockSize)
    {
        var weights = Weights(distribution);
        var rtn = new BlockQuantizationOptions { Bits = bits, BlockSize = blockSize };

        var roundToNearest = BlockQuantizer.Quantize(weights, Rows, Columns, rtn);
        var halfQuadratic = BlockQuantizer.Quantize(weights, Rows, Columns, rtn with { Method = QuantizationMethod.HalfQuadratic });

        // At least 3 % lower: measured 4-8 % on these weights.
        Assert.True(halfQuadratic.Error.MeanAbsError < roundToNearest.Error.MeanAbsError * 0.97,
            $"HQQ {halfQuadratic.Error} vs RTN {roundToNearest.Error}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Hqq_is_never_worse_than_round_to_nearest_on_any_block(bool symmetric)
    {
        var weights = Weights("outliers");
        var rtn = new BlockQuantizationOptions { BlockSize = 32, Symmetric = symmetric };

        var roundToNearest = BlockQuantizer.Quantize(weights, Rows, Columns, rtn).Dequantize();
        var halfQuadratic = BlockQuantizer.Quantize(weights, Rows, Columns, rtn with { Method = QuantizationMethod.HalfQuadratic }).Dequantize();

        var improved = 0;
        for (var block = 0; block < weights.Length / 32; block++)
        {
            var range = new Range(block * 32, (block + 1) * 32);
            var before = ReconstructionStats.Measure(weights.AsSpan(range), roundToNearest.AsSpan(range)).MeanAbsError;
            var after = ReconstructionStats.Measure(weights.AsSpan(range), halfQuadratic.AsSpan(range)).MeanAbsError;
            Assert.True(after <= before, $"block {block}: HQQ {after} > RTN {before}");
            improved += after < before ? 1 : 0;
        }

        Assert.True(improved > weights.Length / 32 / 2, $"only {improved} blocks improved");
    }

    [Fact]
    public void Hqq_with_float16_scales_stores_them_exactly()
    {
        var weights = Weights("gaussian");
        var options = new BlockQuantizationOptions { Method = QuantizationMethod.HalfQuadratic, ScalePrecision = ScalePrecision.Float16 };

        var matrix = BlockQuantizer.Quantize(weights, Rows, Columns, options);

        Assert.All(matrix.Scales.ToArray(), scale => Assert.Equal(scale, (float)(Half)scale));
        Assert.Equal(ReconstructionStats.Measure(weights, matrix.Dequantize()).MeanAbsError, matrix.Error.MeanAbsError, 12);
    }

    private static float[] Weights(string distribution) => distribution == "outliers"
        ? QuantizationTestData.WithOutliers(Rows, Columns, seed: 31)
        : QuantizationTestData.Gaussian(Rows, Columns, seed: 31);
}
