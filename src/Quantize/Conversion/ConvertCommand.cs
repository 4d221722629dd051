using System.CommandLine;

namespace Appliance.Quantize.Conversion;

internal static class ConvertCommand
{
    public static Command Create() => new("convert", "not yet implemented");
}
