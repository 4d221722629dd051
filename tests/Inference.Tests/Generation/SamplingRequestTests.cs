using Appliance.Inference.Generation;
using Appliance.Inference.Models;

namespace Appliance.Inference.Tests.Generation;

public sealed class SamplingRequestTests
{
    [Fact]
    public void Without_sampling_fields_a_do_sample_false_model_answers_greedily()
    {
        var settings = SamplingRequest.ModelDefaults.Resolve(new GenAiSearch { DoSample = false, RepetitionPenalty = 1.1 }, randomSeed: 5);

        Assert.True(settings.IsGreedy);
        Assert.Equal(1.1, settings.RepetitionPenalty);
    }

    [Fact]
    public void Unset_fields_take_the_model_defaults_and_the_seed_is_random_unless_given()
    {
        var defaults = new GenAiSearch { DoSample = true, Temperature = 0.8, TopK = 40, TopP = 0.9 };

        var fromDefaults = SamplingRequest.ModelDefaults.Resolve(defaults, randomSeed: 5);
        var overridden = new SamplingRequest { TopP = 0.5, Seed = 9 }.Resolve(defaults, randomSeed: 5);

        Assert.Equal((0.8, 40, 0.9, 0.0, 5UL), (fromDefaults.Temperature, fromDefaults.TopK, fromDefaults.TopP, fromDefaults.MinP, fromDefaults.Seed));
        Assert.Equal((0.8, 40, 0.5, 9UL), (overridden.Temperature, overridden.TopK, overridden.TopP, overridden.Seed));
    }

    [Fact]
    public void Temperature_zero_is_greedy_even_when_the_model_samples()
    {
        var settings = new SamplingRequest { Temperature = 0 }.Resolve(new GenAiSearch { DoSample = true }, randomSeed: 1);

        Assert.True(settings.IsGreedy);
    }

    [Fact]
    public void Min_p_asks_for_sampling_and_a_repetition_penalty_alone_does_not()
    {
        var greedyModel = new GenAiSearch { DoSample = false, Temperature = 0.7, RepetitionPenalty = 1.1 };

        var minP = new SamplingRequest { MinP = 0.05 }.Resolve(greedyModel, randomSeed: 3);
        var penalty = new SamplingRequest { RepetitionPenalty = 1.3 }.Resolve(greedyModel, randomSeed: 3);

        Assert.Equal((false, 0.7, 0.05, 1.1), (minP.IsGreedy, minP.Temperature, minP.MinP, minP.RepetitionPenalty));
        Assert.Equal((true, 1.3), (penalty.IsGreedy, penalty.RepetitionPenalty));
    }

    [Fact]
    public void Greedy_overrides_a_sampling_model_and_keeps_the_repetition_penalty()
    {
        var settings = new SamplingRequest { Greedy = true, RepetitionPenalty = 1.2 }.Resolve(new GenAiSearch { DoSample = true }, randomSeed: 3);

        Assert.Equal((true, 1.2), (settings.IsGreedy, settings.RepetitionPenalty));
    }

    [Fact]
    public void A_value_out_of_range_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SamplingRequest { MinP = 1.5 }.Resolve(new GenAiSearch(), randomSeed: 3));

        Assert.Equal(nameof(SamplerSettings.MinP), error.ParamName);
    }
}
