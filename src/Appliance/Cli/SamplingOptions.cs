using System.CommandLine;
using System.Globalization;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;

namespace Appliance.Cli;

/// <summary>
/// --greedy or --temperature/--top-k/--top-p/--min-p/--seed, plus --repetition-penalty (which applies to greedy picks
/// too); unset values fall back to genai_config.json's search section.
/// </summary>
internal sealed class SamplingOptions
{
    private readonly Option<bool> _greedy = new("--greedy") { Description = "Always take the most likely token (the default when genai_config says do_sample: false)" };
    private readonly Option<double?> _temperature = new("--temperature") { Description = "Sampling temperature (0 = greedy)" };
    private readonly Option<int?> _topK = new("--top-k") { Description = "Sample among the k most likely tokens (0 = all)" };
    private readonly Option<double?> _topP = new("--top-p") { Description = "Sample among the most likely tokens whose probabilities reach p" };
    private readonly Option<double?> _minP = new("--min-p") { Description = "Drop tokens less likely than this fraction of the most likely one (0 = off)" };
    private readonly Option<double?> _repetitionPenalty = new("--repetition-penalty") { Description = "Penalise tokens already in the prompt or output (1 = off, Hugging Face's definition)" };
    private readonly Option<ulong?> _seed = new("--seed") { Description = "Sampling seed; the same seed gives the same output (default: random, printed)" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in new Option[] { _greedy, _temperature, _topK, _topP, _minP, _repetitionPenalty, _seed })
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
        var minP = parse.GetValue(_minP);
        var seed = parse.GetValue(_seed);
        var samplingGiven = temperature is not null || topK is not null || topP is not null || minP is not null || seed is not null;
        SamplerSettings settings;
        if (parse.GetValue(_greedy))
        {
            settings = samplingGiven
                ? throw new UsageException("--greedy cannot be combined with --temperature, --top-k, --top-p, --min-p or --seed.")
                : SamplerSettings.Greedy;
        }
        else if (!samplingGiven && !defaults.DoSample)
        {
            settings = SamplerSettings.Greedy;
        }
        else
        {
            settings = new SamplerSettings
            {
                Temperature = temperature ?? defaults.Temperature,
                TopK = topK ?? defaults.TopK,
                TopP = topP ?? defaults.TopP,
                MinP = minP ?? 0,
                Seed = seed ?? (ulong)Random.Shared.NextInt64(),
            };
        }

        settings = settings with { RepetitionPenalty = parse.GetValue(_repetitionPenalty) ?? defaults.RepetitionPenalty };
        try
        {
            settings.Validate();
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{OptionName(error.ParamName)} {error.ActualValue}: {Reason(error.Message)}"), error);
        }

        return settings;
    }

    /// <summary>How the settings choose tokens, for the summary line.</summary>
    public static string Describe(SamplerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var how = settings.IsGreedy
            ? "greedy"
            : string.Create(CultureInfo.InvariantCulture, $"temperature {settings.Temperature}, top-k {settings.TopK}, top-p {settings.TopP}");
        if (!settings.IsGreedy && settings.MinP > 0)
        {
            how += string.Create(CultureInfo.InvariantCulture, $", min-p {settings.MinP}");
        }

        if (settings.RepetitionPenalty != 1)
        {
            how += string.Create(CultureInfo.InvariantCulture, $", repetition penalty {settings.RepetitionPenalty}");
        }

        return settings.IsGreedy ? how : string.Create(CultureInfo.InvariantCulture, $"{how}, seed {settings.Seed}");
    }

    private static string OptionName(string? setting) => setting switch
    {
        nameof(SamplerSettings.Temperature) => "--temperature",
        nameof(SamplerSettings.TopK) => "--top-k",
        nameof(SamplerSettings.TopP) => "--top-p",
        nameof(SamplerSettings.MinP) => "--min-p",
        nameof(SamplerSettings.RepetitionPenalty) => "--repetition-penalty",
        _ => setting ?? "sampling setting",
    };

    /// <summary>The exception's own sentence, without the "(Parameter ...)" and "Actual value" lines .NET appends.</summary>
    private static string Reason(string message)
    {
        var end = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return end >= 0 ? message[..end] : message.Split('\n')[0];
    }
}
