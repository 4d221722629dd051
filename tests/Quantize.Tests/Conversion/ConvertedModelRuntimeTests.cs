using Microsoft.ML.OnnxRuntime.Tensors;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>Converted tiny models run on ONNX Runtime's CPU provider the way contract E says the generator drives them.</summary>
public sealed class ConvertedModelRuntimeTests(TinyModelsFixture models) : IClassFixture<TinyModelsFixture>
{
    private static readonly long[] Prompt = [1, 5, 9, 2, 7];

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void Prefill_then_decode_gives_last_position_logits_and_growing_kv(string shape)
    {
        using var runner = new DecoderRunner(models.Outputs[shape]);

        var (prefill, prefillShape) = runner.Step(Prompt);
        Assert.Equal([1L, 1, SyntheticShapes.TinyVocabSize], prefillShape);
        Assert.All(runner.PresentShapes, s => Assert.Equal(Prompt.Length, s[2]));
        var (decode, decodeShape) = runner.Step(3);

        Assert.Equal([1L, 1, SyntheticShapes.TinyVocabSize], decodeShape);
        Assert.All(runner.PresentShapes, s => Assert.Equal(Prompt.Length + 1, s[2]));
        Assert.All(prefill, v => Assert.True(float.IsFinite(v)));
        Assert.All(decode, v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(prefill, decode);
    }

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void Decoding_a_token_gives_the_logits_of_prefilling_it(string shape)
    {
        using var stepwise = new DecoderRunner(models.Outputs[shape]);
        using var whole = new DecoderRunner(models.Outputs[shape]);

        stepwise.Step(Prompt);
        stepwise.Step(4);
        var (decoded, _) = stepwise.Step(8);
        var (prefilled, _) = whole.Step([.. Prompt, 4, 8]);

        AssertClose(prefilled, decoded, 1e-4);
    }

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void One_shared_past_present_buffer_gives_the_same_logits_as_feeding_present_back(string shape)
    {
        using var shared = new DecoderRunner(models.Outputs[shape], sharedBuffer: true);
        using var fedBack = new DecoderRunner(models.Outputs[shape]);

        foreach (long[] tokens in (long[][])[Prompt, [4], [8], [2]])
        {
            var (expected, _) = fedBack.Step(tokens);
            var (actual, actualShape) = shared.Step(tokens);
            Assert.Equal([1L, 1, SyntheticShapes.TinyVocabSize], actualShape);
            AssertClose(expected, actual, 1e-5);
        }

        // Present is the whole buffer: search.max_length positions (the checkpoint's max_position_embeddings).
        var positions = SyntheticShapes.Get(shape).Config.MaxPositionEmbeddings;
        Assert.All(shared.PresentShapes, s => Assert.Equal(positions, s[2]));
    }

    [Fact]
    public void Same_model_and_tokens_give_bit_identical_logits()
    {
        using var first = new DecoderRunner(models.Outputs[SyntheticShapes.TinyQwen3.Name]);
        using var second = new DecoderRunner(models.Outputs[SyntheticShapes.TinyQwen3.Name]);

        Assert.Equal(first.Step(Prompt).Logits, second.Step(Prompt).Logits);
        Assert.Equal(first.Step(6).Logits, second.Step(6).Logits);
    }

    [Fact]
    public void All_logits_mode_outputs_every_position_and_its_last_row_matches_the_default()
    {
        using var directory = new TempDirectory("h3-all-logits");
        var output = directory.Combine("out");
        ModelConverter.Convert(new ConversionOptions(models.Checkpoints[SyntheticShapes.TinyLlama.Name], output, AllLogits: true));
        using var all = new DecoderRunner(output);
        using var last = new DecoderRunner(models.Outputs[SyntheticShapes.TinyLlama.Name]);

        var (logits, shape) = all.Step(Prompt);
        var (expected, _) = last.Step(Prompt);

        Assert.Equal([1L, Prompt.Length, SyntheticShapes.TinyVocabSize], shape);
        AssertClose(expected, logits.AsSpan(logits.Length - SyntheticShapes.TinyVocabSize).ToArray(), 1e-5);
    }

    [Theory]
    [MemberData(nameof(TinyModelsFixture.ShapeNames), MemberType = typeof(TinyModelsFixture))]
    public void Fp16_model_runs_on_the_cpu_provider_with_float16_cache_and_float_logits(string shape)
    {
        using var directory = new TempDirectory("h3-fp16");
        var output = directory.Combine("out");
        ModelConverter.Convert(new ConversionOptions(models.Checkpoints[shape], output, ConversionPrecision.Fp16));
        using var half = new DecoderRunner(output);
        using var full = new DecoderRunner(models.Outputs[shape]);

        Assert.Equal(TensorElementType.Float16, half.CacheType);
        foreach (long[] tokens in (long[][])[Prompt, [4], [8]])
        {
            var (expected, _) = full.Step(tokens);
            var (actual, actualShape) = half.Step(tokens);
            Assert.Equal([1L, 1, SyntheticShapes.TinyVocabSize], actualShape);
            AssertClose(expected, actual, 2e-2);
        }
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
