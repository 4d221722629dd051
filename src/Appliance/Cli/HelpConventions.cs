using System.CommandLine;
using System.CommandLine.Completions;
using System.Globalization;

namespace Appliance.Cli;

/// <summary>
/// One way to name option values in the help of both tools: a choice list in order (numbers numerically), `N` for
/// whole numbers, `NUMBER` for others, `DIR`/`FILE` for paths, else the option's name in capitals — for every option
/// that does not name its value itself.
/// </summary>
internal static class HelpConventions
{
    public static void Apply(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var option in command.Options)
        {
            if (option.HelpName is null && option.ValueType != typeof(bool) && option.Arity.MaximumNumberOfValues > 0)
            {
                option.HelpName = Placeholder(option);
            }
        }

        foreach (var subcommand in command.Subcommands)
        {
            Apply(subcommand);
        }
    }

    private static string Placeholder(Option option)
    {
        var choices = option.GetCompletions(CompletionContext.Empty).Select(choice => choice.Label).ToList();
        if (choices.Count > 0)
        {
            return string.Join('|', choices.All(choice => double.TryParse(choice, CultureInfo.InvariantCulture, out _))
                ? choices.OrderBy(choice => double.Parse(choice, CultureInfo.InvariantCulture))
                : choices.Order(StringComparer.Ordinal));
        }

        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) => "N",
            _ when type == typeof(double) || type == typeof(float) => "NUMBER",
            _ when type == typeof(DirectoryInfo) => "DIR",
            _ when type == typeof(FileInfo) => "FILE",
            _ => option.Name.TrimStart('-').ToUpperInvariant(),
        };
    }
}
