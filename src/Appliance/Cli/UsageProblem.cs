using Appliance.Hosting;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Appliance.Cli;

/// <summary>
/// The one line that says what is wrong with a command line: the first unknown option or command (with the closest
/// known name, when one is close), or the parser's first error in the user's words (no .NET type names).
/// </summary>
internal static partial class UsageProblem
{
    public static string Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var command = parse.CommandResult.Command;
        var path = CommandPath(parse.CommandResult);
        if (parse.UnmatchedTokens.Count > 0)
        {
            var token = parse.UnmatchedTokens[0];
            if (token.StartsWith('-'))
            {
                var options = command.Options.Concat(parse.RootCommandResult.Command.Options.Where(option => option.Recursive))
                    .SelectMany(option => option.Aliases.Prepend(option.Name));
                return $"'{path}' has no option '{token}'{Suggestion(token, options)} (see '{path} --help')";
            }

            return command.Subcommands.Count > 0
                ? $"'{path}' has no command '{token}'{Suggestion(token, command.Subcommands.Select(sub => sub.Name))} (see '{path} --help')"
                : $"'{path}' takes no argument '{token}' (see '{path} --help')";
        }

        var first = parse.Errors[0].Message;
        if (WrongType().Match(first) is { Success: true } wrong)
        {
            return $"{wrong.Groups["option"].Value}: '{wrong.Groups["value"].Value}' is not {ValueKindText.Describe(wrong.Groups["type"].Value)}";
        }

        return first == "Required command was not provided." ? $"'{path}' needs a command (see '{path} --help')" : first;
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult command)
            {
                names.Insert(0, command.Command.Name);
            }
        }

        return string.Join(' ', names);
    }

    /// <summary>"; did you mean 'X'?" for the known name closest to <paramref name="token"/>, when it is close enough to be a typo.</summary>
    private static string Suggestion(string token, IEnumerable<string> known)
    {
        var best = known.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Distance: Distance(token, name)))
            .Where(candidate => candidate.Distance <= Math.Max(2, token.Length / 3))
            .OrderBy(candidate => candidate.Distance)
            .ThenBy(candidate => candidate.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is null ? "" : $"; did you mean '{best.Name}'?";
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex("^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex WrongType();
}
