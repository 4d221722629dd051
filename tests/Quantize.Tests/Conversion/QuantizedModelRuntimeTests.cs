using Appliance.Quantize.Conversion;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>int4/int8 models run on ONNX Runtime's CPU provider the way the generator drives them, close to their float model.</summary>
public sealed class QuantizedModelRuntimeTests(QuantizedModelsFixture models) : IClassFixture<QuantizedModelsFixture>
{
    private static readonly long[] Prompt = [1, 5, 9, 2, 7, 300, 41];

    public static TheoryData<string, string, double> Tolerances()
    {
        var data = new TheoryData<string, string, double>();
        foreach (var shape in new[] { "tiny-llama", "tiny-qwen2", "tiny-qwen3" })
        {
            // Random weights give logits below 1 in magnitude, so weight noise is large against them. Measured worst
            // |difference| / max |logit|: int8 1.2 %, int4 17 %; a broken layout is off by more than the logits themselves.
            data.Add(shape, "int8", 0.03);
            data.Add(shape, "int4", 0.3);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Tolerances))]
    public void Quantized_logits_follow_the_float_model_through_prefill_and_decode(string shape, string precision, double tolerance)
    {
        using var quantized = new DecoderRunner(models.Output(shape, precision), sharedBuffer: true);
        using var full = new DecoderRunner(models.Output(shape, "fp32"), sharedBuffer: true);

        foreach (long[] tokens in (long[][])[Prompt, [4], [8], [2]])
        {
            var (expected, _) = full.Step(tokens);
            var (actual, shapeOut) = quantized.Step(tokens);
            Assert.Equal([1L, 1, expected.Length], shapeOut);
            AssertClose(expected, actual, tolerance);
        }
    }

    [Theory]
    [MemberData(nameof(QuantizedModelsFixture.ShapeNames), MemberType = typeof(QuantizedModelsFixture))]
    public void Decoding_a_token_gives_the_logits_of_prefilling_it(string shape)
    {
        // Prefill runs MatMulNBits with M > 1, decode with M = 1: different kernels, the same weights.
        using var stepwise = new DecoderRunner(models.Output(shape, "int4"));
        using var whole = new DecoderRunner(models.Output(shape, "int4"));

        stepwise.Step(Prompt);
        var (decoded, _) = stepwise.Step(8);
        var (prefilled, _) = whole.Step([.. Prompt, 8]);

        AssertClose(prefilled, decoded, 1e-3);
    }

    /// <summary>|a - b| &lt;= tolerance * max|expected| element-wise (logit scale-relative).</summary>
    private static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.Max(MathF.Abs);
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance * scale, $"max |difference| {worst} exceeds {tolerance} x max |logit| {scale}");
    }
}
