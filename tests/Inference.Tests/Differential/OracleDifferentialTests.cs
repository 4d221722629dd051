using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Tests.Reference;
using Appliance.Quantize.Synthetic;
using Xunit.Abstractions;

namespace Appliance.Inference.Tests.Differential;

/// <summary>
/// ONNX Runtime running our converted graph against the plain float64 forward pass, on synthetic checkpoints
/// of every supported architecture: Llama (GQA 2, untied, llama3 rope scaling), Qwen2 (GQA 1, q/k/v bias, tied),
/// Qwen3 (GQA 3, q/k norm, head_dim != hidden/heads, tied).
/// </summary>
public sealed class OracleDifferentialTests(ITestOutputHelper output)
{
    private const double RelativeTolerance = 1e-3;
    private const double NearTie = 1e-4;
    private const int DecodeSteps = 32;
    private const int GreedyTokens = 64;

    public static TheoryData<string, int> ShapesAndPromptLengths()
    {
        var data = new TheoryData<string, int>();
        foreach (var shape in new[] { "tiny-llama", "tiny-qwen2", "tiny-qwen3" })
        {
            data.Add(shape, 1);
            data.Add(shape, 13);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShapesAndPromptLengths))]
    public void Logits_match_the_float64_reference_for_prefill_and_decode(string shapeName, int promptLength)
    {
        using var converted = ConvertedModel.Create(SyntheticShapes.Get(shapeName), seed: 11);
        var reference = ReferenceModel.Load(converted.HfDirectory);
        using var decoder = DecoderSession.Open(ModelDirectory.Open(converted.ModelDirectory));
        Assert.True(decoder.SharesKvBuffer, "a converted model runs with past and present sharing one KV buffer");

        var prompt = Prompt(promptLength, reference.Config.VocabSize, seed: promptLength);
        decoder.Forward(prompt);
        var referenceLogits = reference.Forward(prompt);
        var comparison = LogitComparison.Of(decoder.Logits, referenceLogits);
        var worst = comparison.Relative;
        Assert.True(comparison.Relative <= RelativeTolerance, $"prefill: relative error {comparison.Relative:E3}");

        for (var step = 0; step < DecodeSteps; step++)
        {
            // Both sides are fed the reference's greedy token, so a near-tie cannot make them diverge.
            int[] next = [TopTwo.Of(referenceLogits).ArgMax];
            decoder.Forward(next);
            referenceLogits = reference.Forward(next);
            comparison = LogitComparison.Of(decoder.Logits, referenceLogits);
            worst = Math.Max(worst, comparison.Relative);
            Assert.True(comparison.Relative <= RelativeTolerance, $"decode step {step}: relative error {comparison.Relative:E3}");
        }

        output.WriteLine($"{shapeName}, prompt {promptLength}: worst relative logit error {worst:E3} over prefill + {DecodeSteps} decode steps");
    }

    [Theory]
    [MemberData(nameof(ShapesAndPromptLengths))]
    public void Greedy_sequences_match_the_reference_except_at_near_ties(string shapeName, int promptLength)
    {
        using var converted = ConvertedModel.Create(SyntheticShapes.Get(shapeName), seed: 23);
        var reference = ReferenceModel.Load(converted.HfDirectory);
        using var generator = Generator.Open(ModelDirectory.Open(converted.ModelDirectory));

        var prompt = Prompt(promptLength, reference.Config.VocabSize, seed: 100 + promptLength);
        var generated = new List<int>();
        var result = generator.Generate(
            prompt,
            new GenerationOptions { MaxNewTokens = GreedyTokens, StopTokenIds = [] },
            token =>
            {
                generated.Add(token);
                return true;
            });
        Assert.Equal(GreedyTokens, generated.Count);
        Assert.Equal(generated, result.Tokens);

        // Replay ONNX Runtime's choices through the reference: each must be the reference's argmax unless the
        // reference's two best logits are within NearTie of each other.
        var nearTies = 0;
        var logits = reference.Forward(prompt);
        for (var step = 0; step < GreedyTokens; step++)
        {
            var top = TopTwo.Of(logits);
            if (generated[step] != top.ArgMax)
            {
                Assert.True(
                    top.Gap < NearTie,
                    $"step {step}: ONNX Runtime chose {generated[step]}, the reference {top.ArgMax} with a top-two gap of {top.Gap:E3}");
                nearTies++;
            }

            logits = reference.Forward([generated[step]]);
        }

        output.WriteLine($"{shapeName}, prompt {promptLength}: {GreedyTokens} greedy tokens, {nearTies} near-tie steps");
        Assert.True(nearTies <= GreedyTokens / 16, $"{nearTies} near-tie divergences out of {GreedyTokens} is not rare");
    }

    [Theory]
    [InlineData("tiny-llama")]
    [InlineData("tiny-qwen3")]
    public void A_graph_with_every_position_s_logits_returns_them_all_from_one_run(string shapeName)
    {
        using var converted = ConvertedModel.Create(SyntheticShapes.Get(shapeName), seed: 17, allLogits: true);
        var reference = ReferenceModel.Load(converted.HfDirectory);
        using var decoder = DecoderSession.Open(ModelDirectory.Open(converted.ModelDirectory));
        var vocab = decoder.VocabSize;
        var prompt = Prompt(9, vocab, seed: 5);
        int[] next = [3, 11];
        var prefill = new float[prompt.Length * vocab];
        var decode = new float[next.Length * vocab];

        Assert.True(decoder.OutputsAllLogits);
        decoder.Forward(prompt, prefill);
        decoder.Forward(next, decode);

        float[][] rows = [.. prefill.Chunk(vocab), .. decode.Chunk(vocab)];
        int[] fed = [.. prompt, .. next];
        for (var position = 0; position < fed.Length; position++)
        {
            var comparison = LogitComparison.Of(rows[position], reference.Forward([fed[position]]));
            Assert.True(comparison.Relative <= RelativeTolerance, $"position {position}: relative error {comparison.Relative:E3}");
        }

        Assert.Equal(rows[^1], decoder.Logits.ToArray());
    }

    [Fact]
    public void Only_a_graph_with_every_position_s_logits_can_return_them_for_several_tokens()
    {
        using var converted = ConvertedModel.Create(SyntheticShapes.TinyLlama, seed: 17);
        using var decoder = DecoderSession.Open(ModelDirectory.Open(converted.ModelDirectory));

        Assert.False(decoder.OutputsAllLogits);
        var error = Assert.Throws<InvalidOperationException>(() => decoder.Forward([1, 2], new float[2 * decoder.VocabSize]));

        Assert.Contains("outputs only the last position's logits", error.Message, StringComparison.Ordinal);
        var one = new float[decoder.VocabSize];
        decoder.Forward([1], one);
        Assert.Equal(one, decoder.Logits.ToArray());
    }

    [Fact]
    public void Session_config_entries_reach_onnx_runtime()
    {
        using var converted = ConvertedModel.Create(SyntheticShapes.TinyLlama, seed: 17);
        var model = ModelDirectory.Open(converted.ModelDirectory);

        // Told the file is in ORT's own format, ONNX Runtime refuses the ONNX protobuf: proof the entry was applied.
        var options = new DecoderSessionOptions { ConfigEntries = new Dictionary<string, string> { ["session.load_model_format"] = "ORT" } };
        var refused = Assert.Throws<ModelDirectoryException>(() => DecoderSession.Open(model, options).Dispose());
        Assert.Contains(model.DecoderPath, refused.Message, StringComparison.Ordinal);

        var spinningOff = new DecoderSessionOptions { ConfigEntries = new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = "0" } };
        using var decoder = DecoderSession.Open(model, spinningOff);
        decoder.Forward([1, 2, 3]);
        Assert.All(decoder.Logits.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    private static int[] Prompt(int length, int vocabSize, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => random.Next(vocabSize))];
    }
}
