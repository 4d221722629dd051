using Appliance.Benchmarks;

namespace Appliance.Tests.Benchmarks;

public sealed class DecodeRooflineTests
{
    [Fact]
    public void Bytes_per_token_are_weights_plus_the_mean_kv_cache_read_while_decoding()
    {
        // 10 prompt tokens, 5 generated: decode steps attend over 11, 12, 13, 14 positions, mean 12.5.
        var roofline = DecodeRoofline.Compute(weightBytes: 1_000_000, kvBytesPerPosition: 1_000, promptTokens: 10, generatedTokens: 5, bandwidthBytesPerSecond: 2e9);

        Assert.Equal(12_500, roofline.KvBytesPerToken);
        Assert.Equal(1_012_500, roofline.BytesPerToken);
        Assert.Equal(2e9 / 1_012_500, roofline.TokensPerSecond, 9);
    }

    [Fact]
    public void With_a_single_generated_token_only_the_prompt_s_cache_counts()
    {
        var roofline = DecodeRoofline.Compute(100, 10, promptTokens: 4, generatedTokens: 1, bandwidthBytesPerSecond: 140);

        Assert.Equal(40, roofline.KvBytesPerToken);
        Assert.Equal(1.0, roofline.TokensPerSecond);
    }
}
