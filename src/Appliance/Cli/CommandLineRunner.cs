using System.CommandLine;
using System.CommandLine.Invocation;

namespace Appliance.Cli;

/// <summary>
/// Parses and runs the command line of `appliance` and `quantize` alike. No arguments prints the help; `help [COMMAND]`
/// is `[COMMAND] --help`. A usage mistake is one "error: ..." line on stderr (with a "did you mean" for a misspelt
/// option or command) and exit code 2; a command that fails is one line and exit code 1; never a stack trace.
/// </summary>
internal static class CommandLineRunner
{
    public const int UsageExitCode = 2;
    public const int FailureExitCode = 1;

    public static Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        HelpConventions.Apply(root);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (args.Count == 0)
        {
            // Nothing asked: the help is the answer, and the exit code says nothing was done.
            root.Parse(["--help"]).Invoke(configuration);
            return Task.FromResult(UsageExitCode);
        }

        // `help [COMMAND...]` is `[COMMAND...] --help`.
        var parse = root.Parse(args[0] == "help" ? [.. args.Skip(1), "--help"] : args);
        if (parse.Action is ParseErrorAction)
        {
            error.WriteLine($"error: {UsageProblem.Describe(parse)}");
            return Task.FromResult(UsageExitCode);
        }

        return parse.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>Runs a command body, turning any failure into one line on the command's error writer.</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<TextWriter, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(body);
        var configuration = parse.InvocationConfiguration;
        try
        {
            return await body(configuration.Output).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            configuration.Error.WriteLine("error: cancelled");
            return FailureExitCode;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Every failure a user can cause (bad directory, bad model, missing ONNX Runtime, bad values) carries a
            // message naming the problem; a stack trace would bury it.
            configuration.Error.WriteLine($"error: {OneLine(ex.Message)}");
            return FailureExitCode;
        }
    }

    /// <summary>Joins a multi-line message (ONNX Runtime's, a list of paths tried) into one line.</summary>
    private static string OneLine(string message)
    {
        var lines = message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = new System.Text.StringBuilder();
        foreach (var line in lines)
        {
            if (text.Length > 0)
            {
                text.Append(text[^1] == ':' ? " " : "; ");
            }

            text.Append(line);
        }

        return text.ToString();
    }
}
