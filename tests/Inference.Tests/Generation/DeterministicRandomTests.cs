using Appliance.Inference.Generation;

namespace Appliance.Inference.Tests.Generation;

public sealed class DeterministicRandomTests
{
    [Fact]
    public void Seed_42_gives_the_pinned_xoshiro256_starstar_sequence()
    {
        // Computed independently (Python big-integer arithmetic) from the SplitMix64 and xoshiro256** definitions.
        var random = new DeterministicRandom(42);

        Assert.Equal([0x15780b2e0c2ec716UL, 0x6104d9866d113a7eUL, 0xae17533239e499a1UL], [random.NextUInt64(), random.NextUInt64(), random.NextUInt64()]);
    }

    [Fact]
    public void Gaussian_samples_match_the_polar_method_computed_independently()
    {
        var random = new DeterministicRandom(42);
        double[] expected = [-0.7262191382447857, -0.21119691823195985, 0.2216227015035933, 0.5227716877560146];

        foreach (var value in expected)
        {
            Assert.Equal(value, random.NextGaussian(), 1e-14);
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.7071)]
    [InlineData(0.999999999)]
    [InlineData(1e-300)]
    [InlineData(123456.789)]
    public void Portable_logarithm_agrees_with_Math_Log(double x)
    {
        Assert.Equal(Math.Log(x), DeterministicRandom.NaturalLog(x), Math.Abs(Math.Log(x)) * 4e-16 + 1e-300);
    }

    [Fact]
    public void Gaussian_samples_have_unit_variance()
    {
        var random = new DeterministicRandom(7);
        var samples = Enumerable.Range(0, 100_000).Select(_ => random.NextGaussian()).ToArray();
        var mean = samples.Average();
        var variance = samples.Select(s => (s - mean) * (s - mean)).Average();

        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
    }

    [Fact]
    public void Reseed_restarts_the_stream_and_drops_a_spare_gaussian()
    {
        var random = new DeterministicRandom(42);
        var first = random.NextGaussian();
        random.Reseed(42);

        Assert.Equal(first, random.NextGaussian());
        random.Reseed(42);
        Assert.Equal(0x15780b2e0c2ec716UL, random.NextUInt64());
    }

    [Fact]
    public void Streams_depend_on_seed_and_name_only()
    {
        var a = DeterministicRandom.ForStream(1, "w").NextUInt64();

        Assert.Equal(a, DeterministicRandom.ForStream(1, "w").NextUInt64());
        Assert.NotEqual(a, DeterministicRandom.ForStream(2, "w").NextUInt64());
        Assert.NotEqual(a, DeterministicRandom.ForStream(1, "v").NextUInt64());
    }
}
