using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using System.CommandLine;
using System.Globalization;

namespace Appliance.Cli;

/// <summary>
/// --greedy or --temperature/--top-k/--top-p/--min-p/--seed, plus --repetition-penalty (which applies to greedy picks
/// too); unset values fall back to genai_config.json's search section (<see cref="SamplingRequest.Resolve"/>).
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

    /// <summary>What the options ask for; the engine resolves it over the model's defaults.</summary>
    public SamplingRequest Request(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var request = new SamplingRequest
        {
            Temperature = parse.GetValue(_temperature),
            TopK = parse.GetValue(_topK),
            TopP = parse.GetValue(_topP),
            MinP = parse.GetValue(_minP),
            RepetitionPenalty = parse.GetValue(_repetitionPenalty),
            Seed = parse.GetValue(_seed),
        };
        if (!parse.GetValue(_greedy))
        {
            return request;
        }

        return request.SetsSampling
            ? throw new UsageException("--greedy cannot be combined with --temperature, --top-k, --top-p, --min-p or --seed.")
            : request with { Greedy = true };
    }

    /// <summary>The settings for work on raw token ids, where no engine resolves them.</summary>
    public SamplerSettings Resolve(ParseResult parse, GenAiSearch defaults)
    {
        var request = Request(parse);
        try
        {
            return request.Resolve(defaults, (ulong)Random.Shared.NextInt64());
        }
        catch (ArgumentOutOfRangeException error) when (Names(error))
        {
            throw Problem(error);
        }
    }

    /// <summary>Whether <paramref name="error"/> is a sampling value out of range (the engine resolves them too).</summary>
    public static bool Names(ArgumentOutOfRangeException error) => OptionName(error?.ParamName) is not null;

    /// <summary>A sampling value out of range, named by the option that set it.</summary>
    public static UsageException Problem(ArgumentOutOfRangeException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new UsageException(string.Create(CultureInfo.InvariantCulture, $"{OptionName(error.ParamName)} {error.ActualValue}: {Reason(error.Message)}"), error);
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

    private static string? OptionName(string? setting) => setting switch
    {
        nameof(SamplerSettings.Temperature) => "--temperature",
        nameof(SamplerSettings.TopK) => "--top-k",
        nameof(SamplerSettings.TopP) => "--top-p",
        nameof(SamplerSettings.MinP) => "--min-p",
        nameof(SamplerSettings.RepetitionPenalty) => "--repetition-penalty",
        _ => null,
    };

    /// <summary>The exception's own sentence, without the "(Parameter ...)" and "Actual value" lines .NET appends.</summary>
    private static string Reason(string message)
    {
        var end = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return end >= 0 ? message[..end] : message.Split('\n')[0];
    }
}
