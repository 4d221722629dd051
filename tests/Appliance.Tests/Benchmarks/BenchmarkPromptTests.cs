using Appliance.Benchmarks;

namespace Appliance.Tests.Benchmarks;

public sealed class BenchmarkPromptTests
{
    [Fact]
    public void The_prompt_is_fixed_in_range_and_free_of_stop_tokens()
    {
        int[] stops = [0, 1, 2, 3];

        var prompt = BenchmarkPrompt.Create(500, vocabSize: 8, stops);

        Assert.Equal(prompt, BenchmarkPrompt.Create(500, vocabSize: 8, stops));
        Assert.All(prompt, id => Assert.InRange(id, 4, 7));
        Assert.Equal(4, prompt.Distinct().Count());
    }

    [Fact]
    public void A_longer_prompt_starts_with_the_shorter_one()
    {
        var shorter = BenchmarkPrompt.Create(16, vocabSize: 1000, [999]);

        Assert.Equal(shorter, BenchmarkPrompt.Create(128, vocabSize: 1000, [999])[..16]);
    }

    [Fact]
    public void A_vocabulary_of_stop_tokens_only_still_gives_a_prompt() =>
        Assert.Equal([0, 0, 0], BenchmarkPrompt.Create(3, vocabSize: 1, [0]));
}
