using Appliance.Engine;
using Appliance.Inference.Models;

namespace Appliance.Tests.Engine;

public sealed class EngineSamplingTests
{
    [Fact]
    public void Without_sampling_fields_a_do_sample_false_model_answers_greedily()
    {
        var settings = EngineSampling.Resolve(EngineRequest.FromPrompt("hi", 8), new GenAiSearch { DoSample = false, RepetitionPenalty = 1.1 }, randomSeed: 5);

        Assert.True(settings.IsGreedy);
        Assert.Equal(1.1, settings.RepetitionPenalty);
    }

    [Fact]
    public void Unset_fields_take_the_model_defaults_and_the_seed_is_random_unless_given()
    {
        var defaults = new GenAiSearch { DoSample = true, Temperature = 0.8, TopK = 40, TopP = 0.9 };

        var fromDefaults = EngineSampling.Resolve(EngineRequest.FromPrompt("hi", 8), defaults, randomSeed: 5);
        var overridden = EngineSampling.Resolve(EngineRequest.FromPrompt("hi", 8) with { TopP = 0.5, Seed = 9 }, defaults, randomSeed: 5);

        Assert.Equal((0.8, 40, 0.9, 5UL), (fromDefaults.Temperature, fromDefaults.TopK, fromDefaults.TopP, fromDefaults.Seed));
        Assert.Equal((0.8, 40, 0.5, 9UL), (overridden.Temperature, overridden.TopK, overridden.TopP, overridden.Seed));
    }

    [Fact]
    public void Temperature_zero_is_greedy_even_when_the_model_samples()
    {
        var settings = EngineSampling.Resolve(EngineRequest.FromPrompt("hi", 8) with { Temperature = 0 }, new GenAiSearch { DoSample = true }, randomSeed: 1);

        Assert.True(settings.IsGreedy);
    }
}
