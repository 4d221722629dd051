using Appliance.Benchmarks;
using Appliance.Benchmarks.Peer;
using Appliance.Cli;
using System.CommandLine;

// Manual measurements; build with `dotnet build tests/Benchmarks -c Release` and run the built dll (README, Speed).
var names = new Argument<string[]>("names") { Description = "llama2, llama3, qwen3, gemma3 (default: all)", Arity = ArgumentArity.ZeroOrMore };
var tokenizer = new Command("tokenizer", "Encode throughput, ours against the JavaScript reference") { names };
tokenizer.SetAction(parse => TokenizerBenchmark.Run(parse.GetValue(names) ?? []));
var root = new RootCommand("Appliance.Benchmarks: manual measurements")
{
    tokenizer,
    GenAiCommand.Create(),
    PeerCommand.Create(),
};
return await CommandLineRunner.InvokeAsync(root, args, Console.Out, Console.Error).ConfigureAwait(false);
