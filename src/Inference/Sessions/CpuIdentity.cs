using System.Runtime.InteropServices;

namespace Appliance.Inference.Sessions;

/// <summary>
/// What the prepacked weights' layout depends on: ONNX Runtime's MLAS packs for the instruction set it finds, so a
/// cache written on one CPU must not be loaded on another (an SD card moved to a different board).
/// </summary>
public static class CpuIdentity
{
    private static readonly string[] Keys = ["model name", "flags", "Features", "CPU implementer", "CPU architecture", "CPU variant", "CPU part"];

    /// <summary>The architecture and the first processor's model and feature lines of /proc/cpuinfo.</summary>
    public static string Describe()
    {
        var lines = new List<string> { RuntimeInformation.ProcessArchitecture.ToString() };
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.Length == 0 && lines.Count > 1)
                {
                    break;
                }

                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && Keys.Contains(line[..colon].Trim(), StringComparer.Ordinal))
                {
                    lines.Add(line.Trim());
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            lines.Add("cpuinfo unreadable");
        }

        return string.Join('\n', lines);
    }
}
