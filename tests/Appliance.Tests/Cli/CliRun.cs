using Appliance.Cli;
using System.CommandLine;

namespace Appliance.Tests.Cli;

/// <summary>Runs the appliance command line in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static Task<CliRun> InvokeAsync(params string[] args) => InvokeWithInputAsync(string.Empty, args);

    /// <summary>Runs with <paramref name="input"/> as stdin (for `chat`).</summary>
    public static async Task<CliRun> InvokeWithInputAsync(string input, params string[] args)
    {
        using var stdin = new StringReader(input);
        var root = new RootCommand("appliance")
        {
            GenerateCommand.Create(),
            ChatCommand.Create(stdin),
            TokenizeCommand.Create(),
            TemplateCommand.Create(),
            BenchCommand.Create(),
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CommandLineRunner.InvokeAsync(root, args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
