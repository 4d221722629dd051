using System.CommandLine;
using System.Globalization;
using Appliance.Inference.Generation;

namespace Appliance.Cli;

/// <summary>`appliance generate`: runs the model on token ids and prints the generated ids (text I/O is the service's job).</summary>
internal static class GenerateCommand
{
    internal static Command Create()
    {
        var model = new ModelOptions();
        var sampling = new SamplingOptions();
        var tokenIds = TokenIdListOption.Create("--token-ids", "Prompt token ids, e.g. 1,2,3");
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Most tokens to generate", DefaultValueFactory = _ => 64 };
        var command = new Command("generate", "Generate token ids from prompt token ids; prints them comma-separated, timings on stderr")
        {
            tokenIds,
            maxNewTokens,
        };
        model.AddTo(command);
        sampling.AddTo(command);

        command.SetAction((parse, cancellationToken) => CommandLineRunner.RunAsync(parse, async output =>
        {
            var limit = parse.GetValue(maxNewTokens);
            if (limit <= 0)
            {
                throw new UsageException($"--max-new-tokens must be at least 1, got {limit}.");
            }

            using var loaded = model.Load(parse, model.RequestedThreads(parse));
            var settings = sampling.Resolve(parse, loaded.Directory.Config.Search);
            var options = new GenerationOptions { MaxNewTokens = limit, Sampling = settings };
            var result = await loaded.Generator.GenerateAsync(parse.GetValue(tokenIds)!, options, cancellationToken: cancellationToken).ConfigureAwait(false);

            output.WriteLine(string.Join(',', result.Tokens));
            parse.InvocationConfiguration.Error.WriteLine(Summary(result, settings));
            return 0;
        }));
        return command;
    }

    private static string Summary(GenerationResult result, SamplerSettings settings)
    {
        var timings = result.Timings;
        var how = settings.IsGreedy
            ? "greedy"
            : string.Create(CultureInfo.InvariantCulture, $"temperature {settings.Temperature}, top-k {settings.TopK}, top-p {settings.TopP}, seed {settings.Seed}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{result.Tokens.Count} tokens ({how}), finish: {result.FinishReason}; prefill {timings.PromptTokens} tokens in " +
            $"{timings.Prefill.TotalMilliseconds:F1} ms ({timings.PrefillTokensPerSecond:F1} tokens/s), " +
            $"decode {timings.DecodeTokensPerSecond:F1} tokens/s");
    }
}
