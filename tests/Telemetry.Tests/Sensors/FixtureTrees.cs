using Appliance.TestSupport;

namespace Appliance.Telemetry.Tests.Sensors;

/// <summary>
/// The proc/ and sys/ trees under Fixtures/: "x86" is a plain PC (ACPI and package thermal zones, no GPU),
/// "jetson" an Orin-like board (thermal zones with a sleeping GPU zone, ga10b devfreq, an INA3221 on hwmon).
/// </summary>
internal static class FixtureTrees
{
    public static string X86 => RepoPaths.Combine("tests", "Telemetry.Tests", "Fixtures", "x86");

    public static string Jetson => RepoPaths.Combine("tests", "Telemetry.Tests", "Fixtures", "jetson");

    /// <summary>A writable copy of a fixture tree, for tests that change sensor values between samples.</summary>
    public static TempDirectory Copy(string fixture)
    {
        var copy = new TempDirectory("sensor-root");
        foreach (var file in Directory.EnumerateFiles(fixture, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy.Path, Path.GetRelativePath(fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }
}
