using Appliance.Inference.Generation;
using Appliance.Inference.Models;

namespace Appliance.Engine;

/// <summary>A request's sampling fields over the model's genai_config.json search defaults.</summary>
internal static class EngineSampling
{
    /// <param name="randomSeed">The seed when the request names none (sampling without a seed differs run to run).</param>
    public static SamplerSettings Resolve(EngineRequest request, GenAiSearch defaults, ulong randomSeed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(defaults);
        var settings = !request.SetsSampling && !defaults.DoSample
            ? SamplerSettings.Greedy
            : new SamplerSettings
            {
                Temperature = request.Temperature ?? defaults.Temperature,
                TopK = request.TopK ?? defaults.TopK,
                TopP = request.TopP ?? defaults.TopP,
                Seed = request.Seed ?? randomSeed,
            };
        settings = settings with { RepetitionPenalty = defaults.RepetitionPenalty };
        settings.Validate();
        return settings;
    }
}
