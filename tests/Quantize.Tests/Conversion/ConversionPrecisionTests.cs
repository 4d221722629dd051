using Appliance.Inference.Runtime;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Tests.Conversion;

public sealed class ConversionPrecisionTests
{
    [Theory]
    [InlineData("fp32", OnnxElementType.Float, "fp")]
    [InlineData("fp16", OnnxElementType.Float16, "fp")]
    [InlineData("int4", OnnxElementType.Float, "int4")]
    [InlineData("int8", OnnxElementType.Float, "int8")]
    public void Names_round_trip_and_map_to_activation_types_and_weight_formats(string name, OnnxElementType activations, string weights)
    {
        var precision = ConversionPrecisionExtensions.Parse(name);

        Assert.Equal(name, precision.Name());
        Assert.Equal(activations, precision.ElementType());
        Assert.Equal(weights, precision.LinearFormat().Name());
    }

    [Fact]
    public void Unknown_precision_is_named_in_the_error()
    {
        var error = Assert.Throws<ConversionException>(() => ConversionPrecisionExtensions.Parse("int3"));

        Assert.Equal("Unsupported precision 'int3': use fp32, fp16, int4, int8.", error.Message);
    }

    [Fact]
    public void Unknown_weight_format_is_named_with_its_option()
    {
        var error = Assert.Throws<ConversionException>(() => WeightFormatExtensions.Parse("bf16", "--lm-head"));

        Assert.Equal("--lm-head 'bf16' is not supported: use fp, int4, int8.", error.Message);
    }
}
