using System.CommandLine;
using Appliance.Cli;

var root = new RootCommand("appliance: offline LLM appliance")
{
    GenerateCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
