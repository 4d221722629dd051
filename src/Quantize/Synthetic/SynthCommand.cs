using System.CommandLine;

namespace Appliance.Quantize.Synthetic;

internal static class SynthCommand
{
    public static Command Create() => new("synth", "not yet implemented");
}
