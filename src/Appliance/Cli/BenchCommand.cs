using System.CommandLine;

namespace Appliance.Cli;

internal static class BenchCommand
{
    public static Command Create() => new("bench", "not yet implemented");
}
