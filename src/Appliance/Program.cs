using System.CommandLine;
using Appliance.Cli;

var root = new RootCommand("appliance: offline LLM appliance")
{
    GenerateCommand.Create(),
    BenchCommand.Create(),
};
return await CommandLineRunner.InvokeAsync(root, args, Console.Out, Console.Error).ConfigureAwait(false);
