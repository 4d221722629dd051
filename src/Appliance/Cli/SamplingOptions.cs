using System.CommandLine;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;

namespace Appliance.Cli;

/// <summary>--greedy or --temperature/--top-k/--top-p/--seed; unset values fall back to genai_config.json's search section.</summary>
internal sealed class SamplingOptions
{
    private readonly Option<bool> _greedy = new("--greedy") { Description = "Always take the most likely token (the default when genai_config says do_sample: false)" };
    private readonly Option<double?> _temperature = new("--temperature") { Description = "Sampling temperature (0 = greedy)" };
    private readonly Option<int?> _topK = new("--top-k") { Description = "Sample among the k most likely tokens (0 = all)" };
    private readonly Option<double?> _topP = new("--top-p") { Description = "Sample among the most likely tokens whose probabilities reach p" };
    private readonly Option<ulong?> _seed = new("--seed") { Description = "Sampling seed; the same seed gives the same output (default: random, printed)" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _greedy, _temperature, _topK, _topP, _seed })
        {
            command.Options.Add(option);
        }
    }

    public SamplerSettings Resolve(ParseResult parse, GenAiSearch defaults)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(defaults);
        var temperature = parse.GetValue(_temperature);
        var topK = parse.GetValue(_topK);
        var topP = parse.GetValue(_topP);
        var seed = parse.GetValue(_seed);
        var samplingGiven = temperature is not null || topK is not null || topP is not null || seed is not null;
        if (parse.GetValue(_greedy))
        {
            return samplingGiven
                ? throw new UsageException("--greedy cannot be combined with --temperature, --top-k, --top-p or --seed.")
                : SamplerSettings.Greedy;
        }

        if (!samplingGiven && !defaults.DoSample)
        {
            return SamplerSettings.Greedy;
        }

        var settings = new SamplerSettings
        {
            Temperature = temperature ?? defaults.Temperature,
            TopK = topK ?? defaults.TopK,
            TopP = topP ?? defaults.TopP,
            Seed = seed ?? (ulong)Random.Shared.NextInt64(),
        };
        settings.Validate();
        return settings;
    }
}
