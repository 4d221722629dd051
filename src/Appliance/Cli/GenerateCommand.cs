using System.CommandLine;

namespace Appliance.Cli;

internal static class GenerateCommand
{
    public static Command Create() => new("generate", "not yet implemented");
}
