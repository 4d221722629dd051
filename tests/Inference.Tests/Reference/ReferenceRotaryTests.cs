using Appliance.Quantize.HuggingFace;

namespace Appliance.Inference.Tests.Reference;

public sealed class ReferenceRotaryTests
{
    [Fact]
    public void Inverse_frequencies_are_theta_to_the_minus_2i_over_d()
    {
        var inverse = ReferenceRotary.InverseFrequencies(16, 10000, null);

        Assert.Equal(8, inverse.Length);
        Assert.Equal(1.0, inverse[0]);
        Assert.Equal(0.31622776601683794, inverse[1], 1e-16);   // 10000^(-1/8) = 10^(-1/2)
        Assert.Equal(0.031622776601683794, inverse[3], 1e-16);  // 10000^(-3/8) = 10^(-3/2)
    }

    [Fact]
    public void Llama3_scaling_keeps_high_divides_low_and_blends_the_middle_frequencies()
    {
        // theta 500000, d 16, factor 8, low 1, high 4, original 64: wavelengths below 16 are kept, above 64 divided
        // by 8, between blended. Expected values computed by hand from the transformers formula.
        var scaling = new RopeScaling("llama3", 8, 1, 4, 64);

        var inverse = ReferenceRotary.InverseFrequencies(16, 500000, scaling);

        Assert.Equal(1.0, inverse[0]);                                   // wavelength 2π: kept
        Assert.Equal(0.0794030091792082, inverse[1], 1e-16);             // wavelength 32.4: smooth 0.3251
        Assert.Equal(0.03760603093086393 / 8, inverse[2], 1e-17);        // wavelength 167: divided
        Assert.Equal(1.2891731721515574e-06, inverse[7], 1e-21);
    }

    [Fact]
    public void Llama3_scaling_is_continuous_at_both_band_edges()
    {
        var scaling = new RopeScaling("llama3", 8, 1, 4, 64);
        var atLowEdge = 2 * Math.PI / 64;   // wavelength exactly original / low
        var atHighEdge = 2 * Math.PI / 16;  // wavelength exactly original / high

        Assert.Equal(atLowEdge / 8, ReferenceRotary.Llama3Scaled(atLowEdge, scaling), 1e-17);
        Assert.Equal(atHighEdge, ReferenceRotary.Llama3Scaled(atHighEdge, scaling), 1e-16);
    }

    [Fact]
    public void Rotation_pairs_dimension_i_with_i_plus_half()
    {
        // d = 4: pairs (0, 2) at frequency 1 and (1, 3) at frequency 0.5; position 2 gives angles 2 and 1.
        double[] head = [1, 2, 3, 4];

        ReferenceRotary.Apply(head, 2, [1.0, 0.5]);

        Assert.Equal((1 * Math.Cos(2)) - (3 * Math.Sin(2)), head[0], 1e-15);
        Assert.Equal((2 * Math.Cos(1)) - (4 * Math.Sin(1)), head[1], 1e-15);
        Assert.Equal((3 * Math.Cos(2)) + (1 * Math.Sin(2)), head[2], 1e-15);
        Assert.Equal((4 * Math.Cos(1)) + (2 * Math.Sin(1)), head[3], 1e-15);
    }

    [Fact]
    public void Position_zero_leaves_the_vector_unchanged()
    {
        double[] head = [0.5, -1, 2, 7];

        ReferenceRotary.Apply(head, 0, [1.0, 0.01]);

        Assert.Equal([0.5, -1, 2, 7], head);
    }
}
