using Appliance.Quantize.Conversion;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Tests.Conversion;

public sealed class ConversionPrecisionTests
{
    [Theory]
    [InlineData("fp32", OnnxElementType.Float)]
    [InlineData("fp16", OnnxElementType.Float16)]
    public void Names_round_trip_and_map_to_onnx_element_types(string name, OnnxElementType type)
    {
        var precision = ConversionPrecisionExtensions.Parse(name);

        Assert.Equal(name, precision.Name());
        Assert.Equal(type, precision.ElementType());
    }

    [Fact]
    public void Unknown_precision_is_named_in_the_error()
    {
        var error = Assert.Throws<ConversionException>(() => ConversionPrecisionExtensions.Parse("int4"));

        Assert.Contains("'int4'", error.Message, StringComparison.Ordinal);
    }
}
