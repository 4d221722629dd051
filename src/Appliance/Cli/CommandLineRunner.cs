using System.CommandLine;
using System.CommandLine.Invocation;

namespace Appliance.Cli;

/// <summary>
/// Parses and runs the command line. Mistakes come out as one "error: ..." line per problem on stderr with a
/// non-zero exit code, never as a stack trace: 2 for unparseable arguments, 1 when the command itself fails.
/// </summary>
internal static class CommandLineRunner
{
    public const int UsageExitCode = 2;
    public const int FailureExitCode = 1;

    public static Task<int> InvokeAsync(RootCommand root, IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(error);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"error: {problem.Message}");
            }

            return Task.FromResult(UsageExitCode);
        }

        return parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
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
