using Appliance.Cli;
using System.CommandLine;

var root = new RootCommand("appliance: offline LLM appliance")
{
    GenerateCommand.Create(),
    ChatCommand.Create(Console.In),
    TokenizeCommand.Create(),
    TemplateCommand.Create(),
    BenchCommand.Create(),
    ServeCommand.Create(),
    ModelInstallCommand.CreateModelCommand(),
};
return await CommandLineRunner.InvokeAsync(root, args, Console.Out, Console.Error).ConfigureAwait(false);
