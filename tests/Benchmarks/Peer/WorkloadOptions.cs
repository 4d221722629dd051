using System.CommandLine;

namespace Appliance.Benchmarks.Peer;

/// <summary>The options of the `genai` and `peer` modes, named and defaulted as `appliance bench` names them.</summary>
internal sealed class WorkloadOptions
{
    private readonly Option<string> _model = new("--model") { Description = "Model directory (genai_config.json, model.onnx, ...)", Required = true };
    private readonly Option<int> _threads = Positive("--threads", "Intra-op threads, the same for both engines", 2);
    private readonly Option<int> _promptTokens = Positive("--prompt-tokens", "Prompt length", 128);
    private readonly Option<int> _genTokens = Positive("--gen-tokens", "Tokens generated per run", 64);
    private readonly Option<int> _repetitions;

    public WorkloadOptions(string repetitionsDescription) =>
        _repetitions = Positive("--repetitions", repetitionsDescription, 3);

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_model);
        command.Options.Add(_threads);
        command.Options.Add(_promptTokens);
        command.Options.Add(_genTokens);
        command.Options.Add(_repetitions);
    }

    public BenchmarkWorkload Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new BenchmarkWorkload(
            parse.GetValue(_model)!, parse.GetValue(_threads), parse.GetValue(_promptTokens), parse.GetValue(_genTokens), parse.GetValue(_repetitions));
    }

    private static Option<int> Positive(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be at least 1, got {result.GetValueOrDefault<int>()}.");
            }
        });
        return option;
    }
}
