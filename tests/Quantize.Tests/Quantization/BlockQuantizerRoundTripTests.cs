using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>Every dequantized weight lies within half a step of its original, for every width, block size and grid kind.</summary>
public sealed class BlockQuantizerRoundTripTests
{
    // 100 columns: no block size divides it, so every row ends in a partial block.
    private const int Rows = 24;
    private const int Columns = 100;

    public static TheoryData<int, int, bool> Configurations()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var bits in new[] { 4, 8 })
        {
            foreach (var blockSize in new[] { 16, 32, 64, 128, 256 })
            {
                data.Add(bits, blockSize, true);
                data.Add(bits, blockSize, false);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Round_to_nearest_keeps_every_weight_within_half_a_step(int bits, int blockSize, bool symmetric)
    {
        var weights = QuantizationTestData.WithOutliers(Rows, Columns, seed: 11);
        var options = new BlockQuantizationOptions { Bits = bits, BlockSize = blockSize, Symmetric = symmetric };

        var matrix = BlockQuantizer.Quantize(weights, Rows, Columns, options);

        AssertWithinHalfStep(weights, matrix);
        Assert.Equal(symmetric, !matrix.HasZeroPoints);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(4, false)]
    [InlineData(8, true)]
    [InlineData(8, false)]
    public void Float16_scales_are_stored_exactly_and_still_bound_the_error(int bits, bool symmetric)
    {
        var weights = QuantizationTestData.WithOutliers(Rows, Columns, seed: 12);
        var options = new BlockQuantizationOptions { Bits = bits, BlockSize = 32, Symmetric = symmetric, ScalePrecision = ScalePrecision.Float16 };

        var matrix = BlockQuantizer.Quantize(weights, Rows, Columns, options);

        Assert.All(matrix.Scales.ToArray(), scale => Assert.Equal(scale, (float)(Half)scale));
        AssertWithinHalfStep(weights, matrix);
    }

    [Fact]
    public void Eight_bits_are_at_least_ten_times_tighter_than_four()
    {
        var weights = QuantizationTestData.Gaussian(Rows, Columns, seed: 13);

        var four = BlockQuantizer.Quantize(weights, Rows, Columns, new BlockQuantizationOptions { Bits = 4 });
        var eight = BlockQuantizer.Quantize(weights, Rows, Columns, new BlockQuantizationOptions { Bits = 8 });

        Assert.True(eight.Error.MaxAbsError * 10 < four.Error.MaxAbsError, $"int8 {eight.Error} vs int4 {four.Error}");
        Assert.True(eight.Error.Rmse * 10 < four.Error.Rmse, $"int8 {eight.Error} vs int4 {four.Error}");
    }

    [Fact]
    public void All_zero_blocks_reconstruct_exactly()
    {
        var weights = new float[2 * 40];
        weights[45] = 0.5f; // the second row's first block is not all zero

        var matrix = BlockQuantizer.Quantize(weights, 2, 40, new BlockQuantizationOptions { BlockSize = 16 });

        Assert.Equal(weights, matrix.Dequantize());
        Assert.Equal(0, matrix.Error.MaxAbsError);
    }

    [Fact]
    public void Reported_error_matches_the_dequantized_matrix()
    {
        var weights = QuantizationTestData.WithOutliers(Rows, Columns, seed: 14);

        var matrix = BlockQuantizer.Quantize(weights, Rows, Columns, new BlockQuantizationOptions { BlockSize = 64 });
        var measured = ReconstructionStats.Measure(weights, matrix.Dequantize());

        Assert.Equal(measured.Count, matrix.Error.Count);
        Assert.Equal(measured.MaxAbsError, matrix.Error.MaxAbsError);
        Assert.Equal(measured.MeanAbsError, matrix.Error.MeanAbsError, 12);
        Assert.Equal(measured.Rmse, matrix.Error.Rmse, 12);
        Assert.Equal(measured.RelativeFrobeniusError, matrix.Error.RelativeFrobeniusError, 12);
    }

    private static void AssertWithinHalfStep(float[] weights, QuantizedMatrix matrix)
    {
        var restored = matrix.Dequantize();
        for (var row = 0; row < matrix.Rows; row++)
        {
            for (var column = 0; column < matrix.Columns; column++)
            {
                var step = Math.Abs(matrix.Scale(row, column / matrix.BlockSize));
                var index = (row * matrix.Columns) + column;
                var error = Math.Abs(weights[index] - restored[index]);
                // Float rounding of w / step can land a hair past the midpoint.
                Assert.True(error <= (step * 0.5 * (1 + 1e-5)) + 1e-12, $"[{row}, {column}]: |{weights[index]} - {restored[index]}| = {error} > step {step} / 2");
            }
        }
    }
}
