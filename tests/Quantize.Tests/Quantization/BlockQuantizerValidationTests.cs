using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>Inputs the operators could not run are refused with a message naming the setting, tensor and value.</summary>
public sealed class BlockQuantizerValidationTests
{
    [Theory]
    [InlineData(2, 32, "Bits must be 4 or 8")]
    [InlineData(3, 32, "got 3")]
    [InlineData(4, 8, "BlockSize must be a power of two from 16 to 256, got 8")]
    [InlineData(4, 48, "got 48")]
    [InlineData(4, 512, "got 512")]
    public void Options_outside_what_the_kernels_run_are_refused(int bits, int blockSize, string message)
    {
        var options = new BlockQuantizationOptions { Bits = bits, BlockSize = blockSize };

        var error = Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(new float[64], 2, 32, options));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Weight_count_must_match_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(new float[63], 2, 32, new BlockQuantizationOptions(), tensorName: "q_proj"));

        Assert.Contains("Tensor 'q_proj': expected 2 x 32 = 64 weights, got 63", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_shapes_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(Array.Empty<float>(), 0, 32, new BlockQuantizationOptions()));

        Assert.Contains("[0, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_weights_are_reported_with_their_position()
    {
        var weights = new float[4 * 40];
        weights[(2 * 40) + 37] = float.NaN;
        weights[(3 * 40) + 1] = float.PositiveInfinity;

        var error = Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(weights, 4, 40, new BlockQuantizationOptions(), tensorName: "up_proj"));

        Assert.Contains("Tensor 'up_proj': weight [2, 37] is NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scales_beyond_float16_range_are_refused_for_float16_storage()
    {
        var weights = new float[32];
        weights[3] = 1e6f;

        var error = Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(
            weights, 1, 32, new BlockQuantizationOptions { ScalePrecision = ScalePrecision.Float16 }, tensorName: "lm_head"));

        Assert.Contains("Tensor 'lm_head': block 0 of row 0 needs a scale beyond Float16's range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gather_layout_needs_rows_of_whole_bytes()
    {
        var error = Assert.Throws<ArgumentException>(() => BlockQuantizer.Quantize(
            new float[2 * 33], 2, 33, new BlockQuantizationOptions(), QuantizedLayout.GatherBlockQuantized, "embed_tokens"));

        Assert.Contains("Tensor 'embed_tokens': GatherBlockQuantized packs rows of 33 4-bit codes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Description_names_every_choice()
    {
        var options = new BlockQuantizationOptions { Bits = 8, BlockSize = 128, Symmetric = true, Method = QuantizationMethod.HalfQuadratic, ScalePrecision = ScalePrecision.Float16 };

        Assert.Equal("int8 block 128 symmetric hqq float16-scales", options.Describe());
        Assert.Equal("int4 block 32 asymmetric rtn float32-scales", new BlockQuantizationOptions().Describe());
    }
}
