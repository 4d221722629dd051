using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Generation;

public sealed class GeneratorTests : IDisposable
{
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 20 };

    // With a strong follower the toy model's greedy continuation of t is t + 1 (mod 16); 15 is its EOS.
    private static readonly ToyDecoder Counting = new() { FollowerStrength = 50 };

    private readonly TempDirectory _directory = new("generator");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Greedy_generation_stops_at_the_eos_token_and_leaves_it_out()
    {
        using var generator = Open(Counting);

        var result = generator.Generate([9, 10], Greedy);

        Assert.Equal([11, 12, 13, 14], result.Tokens);
        Assert.Equal(FinishReason.EndOfSequence, result.FinishReason);
    }

    [Fact]
    public void Generation_stops_after_max_new_tokens()
    {
        using var generator = Open(Counting);

        var result = generator.Generate([1], Greedy with { MaxNewTokens = 5 });

        Assert.Equal([2, 3, 4, 5, 6], result.Tokens);
        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.Equal(1, result.Timings.PromptTokens);
        Assert.Equal(4, result.Timings.DecodeSteps.Length);
        Assert.True(result.Timings.Prefill > TimeSpan.Zero);
        Assert.True(result.Timings.TimeToFirstToken >= result.Timings.Prefill);
        Assert.True(result.Timings.DecodeTokensPerSecond > 0);
    }

    [Fact]
    public void Request_stop_tokens_replace_the_model_s_eos()
    {
        using var generator = Open(Counting);

        var result = generator.Generate([1], Greedy with { StopTokenIds = [4] });

        Assert.Equal([2, 3], result.Tokens);
        Assert.Equal(FinishReason.EndOfSequence, result.FinishReason);
        Assert.Equal([15], generator.DefaultStopTokenIds);
    }

    [Fact]
    public void Tokens_stream_to_the_callback_in_order_and_false_stops()
    {
        using var generator = Open(Counting);
        var streamed = new List<int>();

        var result = generator.Generate([0], Greedy, token =>
        {
            streamed.Add(token);
            return token != 3;
        });

        Assert.Equal([1, 2, 3], streamed);
        Assert.Equal([1, 2, 3], result.Tokens);
        Assert.Equal(FinishReason.StoppedByCaller, result.FinishReason);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Greedy_generation_equals_argmax_of_a_full_recompute_at_every_step(bool shareBuffer)
    {
        var spec = new ToyDecoder { ShareBuffer = shareBuffer, EosTokenIds = [0] };
        using var generator = Open(spec);
        using var reference = DecoderSession.Open(ModelDirectory.Open(_directory.Combine("model")), new DecoderSessionOptions { IntraOpThreads = 1 });
        int[] prompt = [5, 9, 2];

        var result = generator.Generate(prompt, Greedy with { MaxNewTokens = 16, StopTokenIds = [] });

        var sequence = prompt.ToList();
        foreach (var token in result.Tokens)
        {
            reference.Reset();
            reference.Forward(sequence.ToArray());
            Assert.Equal(Sampler.ArgMax(reference.Logits), token);
            sequence.Add(token);
        }

        Assert.Equal(16, result.Tokens.Count);
    }

    [Fact]
    public void Seeded_sampling_is_reproducible_and_the_seed_matters()
    {
        using var generator = Open(new ToyDecoder());
        var options = new GenerationOptions
        {
            MaxNewTokens = 24,
            StopTokenIds = [],
            Sampling = new SamplerSettings { Temperature = 1.5, TopK = 8, TopP = 0.95, Seed = 11 },
        };

        var first = generator.Generate([1, 2], options).Tokens;
        var second = generator.Generate([1, 2], options).Tokens;
        var otherSeed = generator.Generate([1, 2], options with { Sampling = options.Sampling with { Seed = 12 } }).Tokens;

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public void A_prompt_plus_max_new_tokens_beyond_the_context_is_refused_up_front()
    {
        using var generator = Open(Counting);

        var error = Assert.Throws<ContextLengthExceededException>(() => generator.Generate(new int[40], Greedy with { MaxNewTokens = 9 }));

        Assert.Equal("prompt (40 tokens) + max new tokens (9) = 49 exceeds the model's maximum sequence length of 48.", error.Message);
        Assert.Equal((49, 48), (error.RequestedLength, error.MaxSequenceLength));
        Assert.Equal([1, 2], generator.Generate([0], Greedy with { MaxNewTokens = 2 }).Tokens);
    }

    [Fact]
    public void Bad_requests_are_rejected_with_the_argument_named()
    {
        using var generator = Open(Counting);

        Assert.Equal("prompt", Assert.Throws<ArgumentException>(() => generator.Generate([], Greedy)).ParamName);
        Assert.Equal("MaxNewTokens", Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([1], Greedy with { MaxNewTokens = 0 })).ParamName);
        Assert.Equal("TopP", Assert.Throws<ArgumentOutOfRangeException>(() => generator.Generate([1], Greedy with { Sampling = new SamplerSettings { TopP = 0 } })).ParamName);
    }

    [Fact]
    public void Cancelling_terminates_the_running_step_and_the_result_keeps_what_was_generated()
    {
        using var generator = Open(Counting);
        using var cancellation = new CancellationTokenSource();
        var seen = 0;

        // Cancelling inside the callback sets ONNX Runtime's terminate flag before the next forward pass, so that
        // pass is the one that stops: the cancellation path through RunOptions.Terminate is what is exercised.
        var result = generator.Generate([1], Greedy, token =>
        {
            if (++seen == 3)
            {
                cancellation.Cancel();
            }

            return true;
        }, cancellation.Token);

        Assert.Equal(3, seen);
        Assert.Equal(FinishReason.Cancelled, result.FinishReason);
        Assert.Equal([2, 3, 4], result.Tokens);
        Assert.Equal(2, result.Timings.DecodeSteps.Length);
        Assert.True(result.Timings.Prefill > TimeSpan.Zero && result.Timings.Total >= result.Timings.TimeToFirstToken);
        Assert.Equal([2, 3, 4], generator.Generate([1], Greedy with { MaxNewTokens = 3 }).Tokens);
    }

    [Fact]
    public void The_time_limit_ends_generation_as_a_timeout_and_cancellation_wins_over_it()
    {
        using var generator = Open(Counting);
        using var limit = new CancellationTokenSource();
        TokenCallback expireAtSecond = token =>
        {
            if (token == 3)
            {
                limit.Cancel();
            }

            return true;
        };

        var timedOut = generator.Generate([1], Greedy, expireAtSecond, CancellationToken.None, limit.Token);
        var both = generator.Generate([1], Greedy, _ => true, new CancellationToken(canceled: true), limit.Token);

        Assert.Equal(FinishReason.Timeout, timedOut.FinishReason);
        Assert.Equal([2, 3], timedOut.Tokens);
        Assert.Equal(FinishReason.Cancelled, both.FinishReason);
    }

    [Fact]
    public void An_already_cancelled_token_runs_nothing()
    {
        using var generator = Open(Counting);
        var called = false;

        var result = generator.Generate([1], Greedy, _ => called = true, new CancellationToken(canceled: true));

        Assert.False(called);
        Assert.Equal(FinishReason.Cancelled, result.FinishReason);
        Assert.Empty(result.Tokens);
        Assert.Equal((TimeSpan.Zero, 0.0), (result.Timings.TimeToFirstToken, result.Timings.PrefillTokensPerSecond));
    }

    [Fact]
    public void A_reply_that_fits_to_the_context_gets_the_room_left_and_none_at_all_is_refused()
    {
        using var generator = Open(Counting);
        var fitting = Greedy with { MaxNewTokens = 30, FitToContext = true, StopTokenIds = [] };

        var filled = generator.Generate(new int[45], fitting);
        var error = Assert.Throws<ContextLengthExceededException>(() => generator.Generate(new int[48], fitting));

        Assert.Equal((FinishReason.Length, 3), (filled.FinishReason, filled.Tokens.Count));
        Assert.Equal("prompt (48 tokens) leaves no room for a reply in the model's maximum sequence length of 48.", error.Message);
        Assert.Equal((48, (int?)null), (error.PromptTokens, error.MaxNewTokens));
    }

    [Fact]
    public void A_second_request_while_one_runs_is_refused()
    {
        using var generator = Open(Counting);
        InvalidOperationException? nested = null;

        generator.Generate([1], Greedy with { MaxNewTokens = 2 }, _ =>
        {
            nested = Assert.Throws<InvalidOperationException>(() => generator.Generate([1], Greedy));
            return true;
        });

        Assert.Contains("already running a request", nested!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_yields_the_same_tokens_as_generate()
    {
        using var generator = Open(Counting);
        var streamed = new List<int>();

        await foreach (var token in generator.StreamAsync(new[] { 6 }, Greedy))
        {
            streamed.Add(token);
        }

        Assert.Equal([7, 8, 9, 10, 11, 12, 13, 14], streamed);
        Assert.Equal(streamed, (await generator.GenerateAsync(new[] { 6 }, Greedy)).Tokens);
    }

    [Fact]
    public async Task A_consumer_that_stops_streaming_early_frees_the_generator()
    {
        using var generator = Open(Counting);
        var taken = new List<int>();

        await foreach (var token in generator.StreamAsync(new[] { 1 }, Greedy))
        {
            taken.Add(token);
            if (taken.Count == 2)
            {
                break;
            }
        }

        Assert.Equal([2, 3], taken);
        Assert.Equal([5, 6], generator.Generate([4], Greedy with { MaxNewTokens = 2 }).Tokens);
    }

    [Fact]
    public async Task Streaming_surfaces_generation_errors()
    {
        using var generator = Open(Counting);

        await Assert.ThrowsAsync<ContextLengthExceededException>(async () =>
        {
            await foreach (var token in generator.StreamAsync(new int[48], Greedy))
            {
                Assert.Fail($"no token expected, got {token}");
            }
        });
    }

    [Theory]
    [InlineData(true, 0.0)]
    [InlineData(false, 0.0)]
    [InlineData(true, 0.8)]
    public void Decoding_allocates_no_managed_memory_per_token(bool shareBuffer, double temperature)
    {
        using var generator = Open(new ToyDecoder { ShareBuffer = shareBuffer });
        var options = new GenerationOptions
        {
            MaxNewTokens = 32,
            StopTokenIds = [],
            Sampling = new SamplerSettings { Temperature = temperature, TopK = 5, Seed = 3 },
        };
        var allocated = new long[options.MaxNewTokens];
        var count = 0;
        bool Record(int token)
        {
            allocated[count++] = GC.GetAllocatedBytesForCurrentThread();
            return true;
        }

        generator.Generate([1, 2, 3], options, Record);

        Assert.Equal(options.MaxNewTokens, count);
        // From the third token on every step runs the same path; the bytes counter must not move.
        Assert.Equal(0, allocated[^1] - allocated[2]);
    }

    private Generator Open(ToyDecoder spec)
    {
        var path = _directory.Combine("model");
        Directory.CreateDirectory(path);
        spec.Write(path);
        return Generator.Open(ModelDirectory.Open(path), new DecoderSessionOptions { IntraOpThreads = 1 });
    }
}
