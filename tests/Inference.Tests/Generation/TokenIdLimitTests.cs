using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Generation;

/// <summary>Models whose logits are padded past the tokenizer's vocabulary must never produce the padding ids.</summary>
public sealed class TokenIdLimitTests : IDisposable
{
    private readonly TempDirectory _directory = new("token-id-limit");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Greedy_picks_the_best_id_below_the_limit()
    {
        var sampler = new Sampler(4, SamplerSettings.Greedy);
        sampler.Reset(SamplerSettings.Greedy, tokenIdLimit: 2);

        Assert.Equal(1, sampler.Sample([1f, 2f, 9f, 3f]));
        Assert.Equal(2, sampler.TokenIdLimit);

        sampler.Reset(SamplerSettings.Greedy);
        Assert.Equal(2, sampler.Sample([1f, 2f, 9f, 3f]));
        Assert.Equal(4, sampler.TokenIdLimit);
    }

    [Theory]
    [InlineData(0, 1.0, 1.0)]
    [InlineData(3, 1.0, 1.0)]
    [InlineData(0, 0.95, 1.0)]
    [InlineData(0, 1.0, 1.3)]
    public void Sampling_draws_only_below_the_limit_however_likely_the_padding_is(int topK, double topP, double repetitionPenalty)
    {
        var logits = new float[64];
        for (var i = 0; i < logits.Length; i++)
        {
            // The padding ids (40 and up) are far more likely than any real id.
            logits[i] = i < 40 ? i % 7 : 50;
        }

        var settings = new SamplerSettings { Temperature = 1.5, TopK = topK, TopP = topP, RepetitionPenalty = repetitionPenalty, Seed = 11 };
        var sampler = new Sampler(logits.Length, settings);
        sampler.Reset(settings, tokenIdLimit: 40);
        sampler.Observe(45);
        for (var draw = 0; draw < 200; draw++)
        {
            var token = sampler.Sample(logits);
            Assert.InRange(token, 0, 39);
            sampler.Observe(token);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void A_limit_outside_the_logits_is_rejected(int limit)
    {
        var sampler = new Sampler(4, SamplerSettings.Greedy);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Reset(SamplerSettings.Greedy, limit));

        Assert.Equal("tokenIdLimit", error.ParamName);
    }

    [Fact]
    public void The_generator_never_emits_ids_at_or_above_the_limit()
    {
        // Greedy counting would go 11, 12, 13, 14; with ids from 12 up masked the model must pick among 0..11.
        using var generator = Open(new ToyDecoder { FollowerStrength = 50 });
        var options = new GenerationOptions { MaxNewTokens = 20, StopTokenIds = [], TokenIdLimit = 12 };

        var result = generator.Generate([9, 10], options);

        Assert.Equal(20, result.Tokens.Count);
        Assert.Equal(11, result.Tokens[0]);
        Assert.All(result.Tokens, token => Assert.InRange(token, 0, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([1], options with { TokenIdLimit = 17 }));
    }

    private Generator Open(ToyDecoder spec)
    {
        var path = _directory.Combine("model");
        Directory.CreateDirectory(path);
        spec.Write(path);
        return Generator.Open(ModelDirectory.Open(path), new DecoderSessionOptions { IntraOpThreads = 1 });
    }
}
