using Appliance.Inference.Models;

namespace Appliance.Inference.Generation;

/// <summary>
/// The sampling a caller asks for (a request's fields, the CLI's options); what it leaves unset comes from the model's
/// genai_config.json search section. <see cref="Resolve"/> is the one place both become <see cref="SamplerSettings"/>.
/// </summary>
public sealed record SamplingRequest
{
    /// <summary>Nothing asked: the model's defaults decide.</summary>
    public static SamplingRequest ModelDefaults { get; } = new();

    /// <summary>Always the most likely token, whatever the defaults say (the CLI's --greedy).</summary>
    public bool Greedy { get; init; }

    public double? Temperature { get; init; }

    public int? TopK { get; init; }

    public double? TopP { get; init; }

    public double? MinP { get; init; }

    /// <summary>Applies to greedy picks too, so setting it alone does not ask for sampling.</summary>
    public double? RepetitionPenalty { get; init; }

    public ulong? Seed { get; init; }

    /// <summary>Whether any sampling field was set; without any, a model whose defaults say do_sample: false answers greedily.</summary>
    public bool SetsSampling => Temperature is not null || TopK is not null || TopP is not null || MinP is not null || Seed is not null;

    /// <param name="defaults">The model's genai_config.json search section.</param>
    /// <param name="randomSeed">The seed when none is named (sampling without a seed differs run to run).</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range; its ParamName is the <see cref="SamplerSettings"/> property.</exception>
    public SamplerSettings Resolve(GenAiSearch defaults, ulong randomSeed)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var settings = Greedy || (!SetsSampling && !defaults.DoSample)
            ? SamplerSettings.Greedy
            : new SamplerSettings
            {
                Temperature = Temperature ?? defaults.Temperature,
                TopK = TopK ?? defaults.TopK,
                TopP = TopP ?? defaults.TopP,
                MinP = MinP ?? 0,
                Seed = Seed ?? randomSeed,
            };
        settings = settings with { RepetitionPenalty = RepetitionPenalty ?? defaults.RepetitionPenalty };
        settings.Validate();
        return settings;
    }
}
