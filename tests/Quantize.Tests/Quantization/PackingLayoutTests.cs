using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>Byte-exact layouts worked out by hand: nibble order, zero-point packing, padding of a row's last block.</summary>
public sealed class PackingLayoutTests
{
    // Codes 0..15 in order pack (low nibble first) into 0x10, 0x32, ..., 0xFE.
    private static readonly byte[] AscendingNibbles = [0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE];

    private static readonly BlockQuantizationOptions Int4Block16 = new() { Bits = 4, BlockSize = 16 };

    /// <summary>
    /// One row, K = 20, block 16. Block 0 = (i - 3) * 0.5: range [-1.5, 6], step 7.5 / 15 = 0.5, zero point 3, codes i.
    /// Block 1 = [0, 1, -1, 2]: range [-1, 2], step 0.2, zero point 5, codes [5, 10, 0, 15], then 12 padding codes of 5.
    /// </summary>
    private static float[] TwoBlockRow() =>
        [.. Enumerable.Range(0, 16).Select(i => (i - 3) * 0.5f), 0f, 1f, -1f, 2f];

    [Fact]
    public void MatMulNBits_row_packs_low_nibble_first_and_pads_the_last_block_with_its_zero_point()
    {
        var matrix = BlockQuantizer.Quantize(TwoBlockRow(), 1, 20, Int4Block16);

        byte[] expected = [.. AscendingNibbles, 0xA5, 0xF0, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55];
        Assert.Equal(expected, matrix.Data.ToArray());
        Assert.Equal([1L, 2, 8], matrix.DataShape());
        Assert.Equal([0.5f, 3f / 15], matrix.Scales.ToArray());
        Assert.Equal([1L, 2], matrix.ScalesShape());
        Assert.Equal(new byte[] { 0x53 }, matrix.ZeroPoints.ToArray());
        Assert.Equal([1L, 1], matrix.ZeroPointsShape());
        Assert.Equal(TwoBlockRow(), matrix.Dequantize());
    }

    [Fact]
    public void GatherBlockQuantized_row_is_not_padded()
    {
        var matrix = BlockQuantizer.Quantize(TwoBlockRow(), 1, 20, Int4Block16, QuantizedLayout.GatherBlockQuantized);

        Assert.Equal([.. AscendingNibbles, 0xA5, 0xF0], matrix.Data.ToArray());
        Assert.Equal([1L, 10], matrix.DataShape());
        Assert.Equal(new byte[] { 0x53 }, matrix.ZeroPoints.ToArray());
    }

    [Fact]
    public void Zero_points_pack_per_row_and_an_odd_block_count_leaves_the_high_nibble_empty()
    {
        int[][] zeroPoints = [[3, 7, 12], [0, 15, 9]];
        var weights = new float[2 * 48];
        for (var row = 0; row < 2; row++)
        {
            for (var column = 0; column < 48; column++)
            {
                weights[(row * 48) + column] = ((column % 16) - zeroPoints[row][column / 16]) * 0.25f;
            }
        }

        var matrix = BlockQuantizer.Quantize(weights, 2, 48, Int4Block16);

        Assert.Equal(new byte[] { 0x73, 0x0C, 0xF0, 0x09 }, matrix.ZeroPoints.ToArray());
        Assert.Equal([2L, 2], matrix.ZeroPointsShape());
        Assert.Equal(Enumerable.Repeat(AscendingNibbles, 6).SelectMany(b => b), matrix.Data.ToArray());
        Assert.All(matrix.Scales.ToArray(), scale => Assert.Equal(0.25f, scale));
    }

    [Fact]
    public void Symmetric_grid_gives_the_extra_level_to_the_larger_extreme()
    {
        // Block 0: largest magnitude negative (-0.8) -> step 0.8 / 8 = 0.1 (0.35 / 7 is smaller), codes round(w / 0.1) + 8.
        // Block 1: largest magnitude positive (0.7) -> step -0.7 / 8 = -0.0875, so 0.7 takes code 0.
        float[] weights = [-0.8f, 0.3f, 0f, 0.1f, .. new float[12], 0.7f, -0.2f, 0f, 0.35f, .. new float[12]];
        var matrix = BlockQuantizer.Quantize(weights, 1, 32, Int4Block16 with { Symmetric = true });

        Assert.Equal([0.1f, -0.7f / 8], matrix.Scales.ToArray());
        Assert.Equal([0, 11, 8, 9], Enumerable.Range(0, 4).Select(c => matrix.Code(0, c)));
        Assert.Equal([0, 10, 8, 4], Enumerable.Range(16, 4).Select(c => matrix.Code(0, c)));
        Assert.Equal(0xB0, matrix.Data.Span[0]);
        Assert.False(matrix.HasZeroPoints);
        Assert.True(matrix.ZeroPoints.IsEmpty);
        Assert.Equal(8, matrix.ZeroPoint(0, 1));
    }

    [Fact]
    public void Eight_bit_codes_take_one_byte_each_and_the_last_block_pads_to_a_whole_blob()
    {
        // Range [-2, 5.5] over 255 steps: zero point round(2 / step) = 68, the extremes take codes 0 and 255.
        float[] weights = [-2f, 5.5f, 0f, .. new float[15]];
        var matrix = BlockQuantizer.Quantize(weights, 1, 18, new BlockQuantizationOptions { Bits = 8, BlockSize = 16 });

        Assert.Equal([1L, 2, 16], matrix.DataShape());
        Assert.Equal(new byte[] { 0, 255, 68 }, matrix.Data[..3].ToArray());
        Assert.Equal(new byte[] { 68, 0 }, matrix.ZeroPoints.ToArray());
        Assert.Equal(Enumerable.Repeat((byte)0, 16), matrix.Data[16..].ToArray());
    }

    [Fact]
    public void Layouts_convert_both_ways_without_requantizing()
    {
        var weights = QuantizationTestData.Gaussian(5, 40, seed: 21);
        var matMul = BlockQuantizer.Quantize(weights, 5, 40, Int4Block16);

        var gather = matMul.WithLayout(QuantizedLayout.GatherBlockQuantized);
        var back = gather.WithLayout(QuantizedLayout.MatMulNBits);

        Assert.Equal(BlockQuantizer.Quantize(weights, 5, 40, Int4Block16, QuantizedLayout.GatherBlockQuantized).Data.ToArray(), gather.Data.ToArray());
        Assert.Equal(matMul.Data.ToArray(), back.Data.ToArray());
        Assert.Equal(matMul.Dequantize(), gather.Dequantize());
        Assert.Same(matMul, matMul.WithLayout(QuantizedLayout.MatMulNBits));
    }
}
