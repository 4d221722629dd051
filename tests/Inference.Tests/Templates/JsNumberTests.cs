using Appliance.Inference.Templates;

namespace Appliance.Inference.Tests.Templates;

/// <summary>Number text as JavaScript writes it, which the reference's JSON and string joins use.</summary>
public sealed class JsNumberTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(2.0, "2")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(1e-6, "0.000001")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Formats_like_javascript(double value, string expected) =>
        Assert.Equal(expected, JsNumber.Format(value));

    [Fact]
    public void Negative_zero_formats_as_zero() =>
        Assert.Equal("0", JsNumber.Format(-0.0));

    [Theory]
    [InlineData("42", true, 42L)]
    [InlineData("  -12abc", true, -12L)]
    [InlineData("+7", true, 7L)]
    [InlineData("3.9", true, 3L)]
    [InlineData("abc", false, 0L)]
    [InlineData("-", false, 0L)]
    public void Parses_integer_prefixes_like_parseInt(string text, bool parsed, long value)
    {
        Assert.Equal(parsed, JsNumber.TryParseIntPrefix(text, out var result));
        Assert.Equal(value, result);
    }

    [Theory]
    [InlineData("2.5e3x", true, 2500.0)]
    [InlineData(".5", true, 0.5)]
    [InlineData("5.", true, 5.0)]
    [InlineData(" -1e-2", true, -0.01)]
    [InlineData("1e", true, 1.0)]
    [InlineData("Infinity!", true, double.PositiveInfinity)]
    [InlineData(".", false, 0.0)]
    [InlineData("e5", false, 0.0)]
    public void Parses_float_prefixes_like_parseFloat(string text, bool parsed, double value)
    {
        Assert.Equal(parsed, JsNumber.TryParseFloatPrefix(text, out var result));
        Assert.Equal(value, result);
    }
}
