using Appliance.Inference.Generation;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.Evaluation;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Synthetic;
using Appliance.Quantize.Tests.Conversion;
using Appliance.TestSupport;
using Xunit.Abstractions;

namespace Appliance.Quantize.Tests.Evaluation;

/// <summary>
/// The quantized tiny models against their float models over 2,000 positions. The weights are random, so these figures
/// measure the quantizer's error, not a trained model's quality.
/// </summary>
public sealed class FidelityEvaluatorTests(QuantizedModelsFixture models, ITestOutputHelper output) : IClassFixture<QuantizedModelsFixture>, IDisposable
{
    private readonly TempDirectory directory = new("h3-fidelity");

    public void Dispose() => directory.Dispose();

    public static TheoryData<string, string, double> AgreementTargets()
    {
        var data = new TheoryData<string, string, double>();
        foreach (var shape in new[] { "tiny-llama", "tiny-qwen2", "tiny-qwen3" })
        {
            data.Add(shape, "int8", 0.99);
            data.Add(shape, "int4", 0.90);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AgreementTargets))]
    public void Quantized_top_token_agrees_with_the_float_model_over_2000_positions(string shape, string precision, double target)
    {
        var (reference, candidate) = shape == "tiny-llama"
            ? ConvertWithHeadCorrelatedToEmbeddings(precision)
            : (models.Output(shape, "fp32"), models.Output(shape, precision));

        var result = Evaluate(reference, candidate);

        var f = result.Figures;
        output.WriteLine($"{shape} {precision}: top-1 {f.TopOneAgreement:P2}, KL mean {f.MeanKl:E3} p99 {f.P99Kl:E3} max {f.MaxKl:E3}, PPL {f.ReferencePerplexity:F2} -> {f.CandidatePerplexity:F2}");
        Assert.Equal(2000, f.Positions);
        Assert.True(f.TopOneAgreement >= target, $"top-1 agreement {f.TopOneAgreement:P2} < {target:P0}");
        Assert.Equal(SyntheticNotice.Weights, result.SyntheticNotice);
    }

    [Theory]
    [InlineData("int8")]
    [InlineData("int4")]
    public void An_independent_random_head_gives_near_uniform_logits_whose_top_token_is_decided_by_near_ties(string precision)
    {
        var result = Evaluate(models.Output("tiny-llama", "fp32"), models.Output("tiny-llama", precision));

        var f = result.Figures;
        output.WriteLine($"tiny-llama (independent head) {precision}: top-1 {f.TopOneAgreement:P2}, KL mean {f.MeanKl:E3} p99 {f.P99Kl:E3} max {f.MaxKl:E3}, PPL {f.ReferencePerplexity:F2} -> {f.CandidatePerplexity:F2}");
        Assert.True(f.ReferencePerplexity > 0.9 * SyntheticShapes.TinyVocabSize, $"reference perplexity {f.ReferencePerplexity}");
        Assert.True(f.MeanKl < (precision == "int8" ? 1e-5 : 1e-3), $"mean KL {f.MeanKl}");
    }

    [Fact]
    public void Graphs_with_every_position_s_logits_are_scored_in_batches_to_the_same_figures()
    {
        var checkpoint = models.Checkpoints["tiny-qwen3"];
        var reference = directory.Combine("all-fp32");
        var candidate = directory.Combine("all-int8");
        ModelConverter.Convert(new ConversionOptions(checkpoint, reference, AllLogits: true));
        ModelConverter.Convert(new ConversionOptions(checkpoint, candidate, ConversionPrecision.Int8, AllLogits: true));
        var text = EvaluationText.Write(directory.Path);

        var batched = FidelityEvaluator.Evaluate(new FidelityOptions(reference, candidate, text, Positions: 500, Window: 200, Threads: 1));
        var stepwise = FidelityEvaluator.Evaluate(
            new FidelityOptions(models.Output("tiny-qwen3", "fp32"), models.Output("tiny-qwen3", "int8"), text, Positions: 500, Window: 200, Threads: 1));

        Assert.True(batched.ReferenceBatched && batched.CandidateBatched);
        Assert.False(stepwise.ReferenceBatched || stepwise.CandidateBatched);
        Assert.Equal(stepwise.Figures.Positions, batched.Figures.Positions);
        Assert.Equal(stepwise.Figures.ReferencePerplexity, batched.Figures.ReferencePerplexity, 3);
        Assert.Equal(stepwise.Figures.TopOneAgreement, batched.Figures.TopOneAgreement, 2);
        Assert.Equal(stepwise.Figures.MeanKl, batched.Figures.MeanKl, 7);
    }

    private FidelityResult Evaluate(string reference, string candidate) =>
        FidelityEvaluator.Evaluate(
            new FidelityOptions(reference, candidate, EvaluationText.Write(directory.Path), Positions: 2000, Window: 256, Threads: 1));

    // Trained untied heads are far from independent of the embeddings; a head drawn independently of everything makes
    // the logits a Gaussian cloud with near-ties at the top (perplexity about the vocabulary size). Here the untied
    // head is the embedding table plus independent noise of the same size: still random, still stored and quantized
    // separately, but its top token is well defined.
    private (string Reference, string Candidate) ConvertWithHeadCorrelatedToEmbeddings(string precision)
    {
        var checkpoint = directory.Combine("hf");
        SyntheticModel.Write(SyntheticShapes.TinyLlama, TinyModelsFixture.Seed, checkpoint);
        var path = Path.Combine(checkpoint, HfCheckpoint.SingleFileName);
        List<(SafeTensorInfo Info, float[] Values)> tensors;
        using (var source = HfCheckpoint.Open(checkpoint))
        {
            tensors = [.. source.TensorNames.Select(n => (source.Describe(n), source.ReadFloat32(n)))];
        }

        var head = tensors.Single(t => t.Info.Name == HfTensorNames.LmHead).Values;
        DeterministicRandom.ForStream(TinyModelsFixture.Seed, "correlated-head").FillGaussian(head, 0, SyntheticWeights.StandardDeviation);
        var embedding = tensors.Single(t => t.Info.Name == HfTensorNames.EmbedTokens).Values;
        for (var i = 0; i < head.Length; i++)
        {
            head[i] += embedding[i];
        }

        using (var writer = new SafeTensorsWriter(path))
        {
            foreach (var (info, values) in tensors)
            {
                writer.Add(info.Name, info.DType, info.Shape, values);
            }

            writer.Save(new Dictionary<string, string> { [HfCheckpoint.SyntheticMetadataKey] = SyntheticNotice.Weights });
        }

        var reference = directory.Combine("fp32");
        var candidate = directory.Combine(precision);
        ModelConverter.Convert(new ConversionOptions(checkpoint, reference));
        ModelConverter.Convert(new ConversionOptions(checkpoint, candidate, ConversionPrecisionExtensions.Parse(precision)));
        return (reference, candidate);
    }
}
