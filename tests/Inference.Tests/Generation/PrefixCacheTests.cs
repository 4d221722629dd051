using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Generation;

/// <summary>
/// Prefix reuse on the toy decoder with attention-driven logits (no follower), so wrong keys or values would change
/// the ids: every cached run is compared with the same request on a generator that keeps nothing.
/// </summary>
public sealed class PrefixCacheTests : IDisposable
{
    private static readonly GenerationOptions Greedy = new() { MaxNewTokens = 8, StopTokenIds = [] };
    private static readonly GenerationOptions Sampled = Greedy with { Sampling = new SamplerSettings { Temperature = 1.5, TopK = 8, Seed = 42 } };
    private static readonly int[] First = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];

    private readonly TempDirectory _directory = new("prefix-cache");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_prompt_diverging_in_the_middle_reuses_the_shared_part_and_generates_as_a_fresh_generator(bool shareBuffer)
    {
        var spec = new ToyDecoder { ShareBuffer = shareBuffer };
        using var cached = Open(spec, slots: 1);
        using var fresh = Open(spec, slots: 0);
        int[] second = [.. First[..7], 11, 12, 13];

        cached.Generate(First, Greedy);
        var reused = cached.Generate(second, Greedy);

        Assert.Equal(7, reused.Timings.CachedPromptTokens);
        Assert.Equal(fresh.Generate(second, Greedy).Tokens, reused.Tokens);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_prompt_continuing_the_previous_reply_reuses_its_generated_tokens_too(bool shareBuffer)
    {
        var spec = new ToyDecoder { ShareBuffer = shareBuffer };
        using var cached = Open(spec, slots: 1);
        using var fresh = Open(spec, slots: 0);

        var reply = cached.Generate(First, Greedy).Tokens;
        int[] next = [.. First, .. reply.Take(5), 7, 7];
        var reused = cached.Generate(next, Greedy);

        Assert.Equal(First.Length + 5, reused.Timings.CachedPromptTokens);
        Assert.Equal(fresh.Generate(next, Greedy).Tokens, reused.Tokens);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sampled_ids_for_the_same_seed_equal_the_uncached_run(bool shareBuffer)
    {
        var spec = new ToyDecoder { ShareBuffer = shareBuffer };
        using var cached = Open(spec, slots: 1);
        using var fresh = Open(spec, slots: 0);
        int[] second = [.. First[..9], 0, 14];

        cached.Generate(First, Sampled);
        var reused = cached.Generate(second, Sampled);

        Assert.Equal(9, reused.Timings.CachedPromptTokens);
        Assert.Equal(fresh.Generate(second, Sampled).Tokens, reused.Tokens);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_fully_cached_prompt_runs_its_last_token_again_for_the_logits(bool shareBuffer)
    {
        using var cached = Open(new ToyDecoder { ShareBuffer = shareBuffer }, slots: 1);

        var first = cached.Generate(First, Greedy);
        var again = cached.Generate(First, Greedy);

        Assert.Equal(0, first.Timings.CachedPromptTokens);
        Assert.Equal(First.Length - 1, again.Timings.CachedPromptTokens);
        Assert.Equal(first.Tokens, again.Tokens);
    }

    [Fact]
    public void With_two_slots_the_least_recently_used_prefix_is_evicted()
    {
        using var cached = Open(new ToyDecoder(), slots: 2);
        int[] a = [1, 2, 3, 4, 5, 6];
        int[] b = [7, 8, 9, 10, 11, 12];
        int[] c = [13, 14, 0, 1, 2, 3];

        cached.Generate(a, Greedy);
        cached.Generate(b, Greedy);
        Assert.Equal(4, cached.Generate([.. a[..4], 0, 0], Greedy).Timings.CachedPromptTokens); // a's slot is now the most recent
        Assert.Equal(0, cached.Generate(c, Greedy).Timings.CachedPromptTokens);                 // takes b's slot
        Assert.Equal(4, cached.Generate(a, Greedy).Timings.CachedPromptTokens);
        Assert.Equal(0, cached.Generate(b, Greedy).Timings.CachedPromptTokens);
    }

    [Fact]
    public void A_prompt_sharing_only_a_short_opening_does_not_overwrite_a_longer_kept_prefix()
    {
        using var cached = Open(new ToyDecoder(), slots: 2);
        int[] a = [0, 1, 2, 3, 4, 5];
        int[] b = [0, 1, 9, 10, 11, 12];

        cached.Generate(a, Greedy);
        cached.Generate(b, Greedy);
        Assert.Equal(2, cached.Generate([0, 1, 13, 14, 13], Greedy).Timings.CachedPromptTokens); // takes a's slot
        Assert.Equal(5, cached.Generate(b, Greedy).Timings.CachedPromptTokens);
    }

    [Fact]
    public void Without_slots_nothing_is_reused()
    {
        using var uncached = Open(new ToyDecoder(), slots: 0);

        uncached.Generate(First, Greedy);
        var again = uncached.Generate(First, Greedy);

        Assert.Equal(0, again.Timings.CachedPromptTokens);
        Assert.Equal(0, uncached.Decoder.PrefixCacheSlots);
    }

    [Fact]
    public void More_slots_than_the_bound_are_refused()
    {
        var path = Write(new ToyDecoder());

        Assert.Throws<ArgumentOutOfRangeException>(() => DecoderSession.Open(
            ModelDirectory.Open(path), new DecoderSessionOptions { PrefixCacheSlots = DecoderSessionOptions.MaxPrefixCacheSlots + 1 }));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decoding_after_a_reused_prefix_allocates_no_managed_memory_per_token(bool shareBuffer)
    {
        using var cached = Open(new ToyDecoder { ShareBuffer = shareBuffer }, slots: 2);
        var options = Greedy with { MaxNewTokens = 24 };
        var allocated = new long[options.MaxNewTokens];
        var count = 0;
        bool Record(int token)
        {
            allocated[count++] = GC.GetAllocatedBytesForCurrentThread();
            return true;
        }

        cached.Generate(First, Greedy);
        cached.Generate([9, 9], Greedy); // the other slot, so the next request switches back
        var result = cached.Generate([.. First, 2], options, Record);

        Assert.Equal(First.Length, result.Timings.CachedPromptTokens);
        Assert.Equal(options.MaxNewTokens, count);
        Assert.Equal(0, allocated[^1] - allocated[2]);
    }

    private string Write(ToyDecoder spec)
    {
        var path = _directory.Combine($"model-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        spec.Write(path);
        return path;
    }

    private Generator Open(ToyDecoder spec, int slots) =>
        Generator.Open(ModelDirectory.Open(Write(spec)), new DecoderSessionOptions { IntraOpThreads = 1, PrefixCacheSlots = slots });
}
