using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.TestSupport;

namespace Appliance.Tests.Cli;

/// <summary>`appliance` and `quantize` behave alike on the command line: the built tools, run as a user runs them.</summary>
public sealed partial class CommandLineConsistencyTests
{
    [Theory]
    [InlineData("appliance.dll")]
    [InlineData("quantize.dll")]
    public async Task No_arguments_prints_the_help_and_exits_2_and_help_works_as_a_command(string tool)
    {
        var bare = await RunAsync(tool);
        var help = await RunAsync(tool, "help");

        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("Usage:", bare.Output, StringComparison.Ordinal);
        Assert.Contains("Commands:", bare.Output, StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        Assert.Equal(bare.Output, help.Output);
    }

    [Theory]
    [InlineData("appliance.dll", "error: 'appliance' has no command 'genrate'; did you mean 'generate'? (see 'appliance --help')", "genrate")]
    [InlineData("quantize.dll", "error: 'quantize' has no command 'convrt'; did you mean 'convert'? (see 'quantize --help')", "convrt")]
    [InlineData("appliance.dll", "error: 'appliance serve' has no option '--modle'; did you mean '--model'? (see 'appliance serve --help')", "serve", "--modle", "/models/x")]
    [InlineData("quantize.dll", "error: 'quantize synth' has no option '--sede'; did you mean '--seed'? (see 'quantize synth --help')", "synth", "--shape", "tiny-llama", "--out", "/tmp/x", "--sede", "1")]
    [InlineData("appliance.dll", "error: --temperature: 'hot' is not a number", "generate", "--model", "/models/x", "--prompt", "hi", "--temperature", "hot")]
    public async Task A_usage_mistake_is_one_error_line_with_a_suggestion_no_dotnet_type_names_and_exit_code_2(string tool, string expected, params string[] args)
    {
        var run = await RunAsync(tool, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal([expected], run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("System.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_without_a_model_says_to_pass_model()
    {
        using var directory = new TempDirectory("cli");
        var config = directory.Combine("appliance.json");
        await File.WriteAllTextAsync(config, "{}");

        var run = await RunAsync("appliance.dll", "serve", "--config", config);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["error: no model: pass --model DIR (or set Engine:ModelPath)"], run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("quantize.dll", "convert")]
    [InlineData("quantize.dll", "eval")]
    [InlineData("quantize.dll", "synth")]
    [InlineData("appliance.dll", "serve")]
    [InlineData("appliance.dll", "tokenize")]
    [InlineData("appliance.dll", "bench")]
    public async Task Help_names_values_one_way_sorts_numeric_choices_and_starts_descriptions_with_a_capital(string tool, string command)
    {
        var help = (await RunAsync(tool, "help", command)).Output.Split('\n');
        var options = help.SkipWhile(line => line != "Options:").Skip(1).Where(line => line.StartsWith("  -", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(options);
        Assert.All(options, line =>
        {
            var placeholder = HelpPlaceholder().Match(line);
            Assert.True(!placeholder.Success || UpperCaseName().IsMatch(placeholder.Groups[1].Value) || IsSortedChoiceList(placeholder.Groups[1].Value), line);
            var description = HelpDescription().Match(line).Groups[1].Value;
            Assert.True(description.Length == 0 || !char.IsLower(description[0]), line);
        });
    }

    [Fact]
    public async Task Help_of_a_command_names_it()
    {
        var run = await RunAsync("quantize.dll", "help", "convert");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("convert", run.Output, StringComparison.Ordinal);
        Assert.Contains("--precision", run.Output, StringComparison.Ordinal);
    }

    private static bool IsSortedChoiceList(string placeholder)
    {
        var choices = placeholder.Split('|');
        return choices.Length > 1 && (choices.All(choice => double.TryParse(choice, CultureInfo.InvariantCulture, out _))
            ? choices.Select(choice => double.Parse(choice, CultureInfo.InvariantCulture)).Order().SequenceEqual(choices.Select(choice => double.Parse(choice, CultureInfo.InvariantCulture)))
            : choices.Order(StringComparer.Ordinal).SequenceEqual(choices));
    }

    [GeneratedRegex(@"^\s+[^<]*<([^>]+)>")]
    private static partial Regex HelpPlaceholder();

    [GeneratedRegex(@"^[A-Z][A-Z0-9_-]*$")]
    private static partial Regex UpperCaseName();

    [GeneratedRegex(@"^\s+\S.*?\s{2,}(\S.*)$")]
    private static partial Regex HelpDescription();

    private static async Task<CliRun> RunAsync(string tool, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, tool));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("APPLIANCE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliRun(process.ExitCode, await output, await error);
    }
}
