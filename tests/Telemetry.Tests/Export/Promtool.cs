using System.Diagnostics;

namespace Appliance.Telemetry.Tests.Export;

/// <summary>
/// Prometheus' own checker, `promtool check metrics` (Debian package prometheus, installed by
/// scripts/setup-dependencies.sh). Missing promtool fails the test, loudly: it is never skipped in silence.
/// </summary>
internal static class Promtool
{
    /// <summary>Feeds <paramref name="exposition"/> to promtool; returns its exit code and everything it printed.</summary>
    public static (int ExitCode, string Output) CheckMetrics(string exposition)
    {
        var start = new ProcessStartInfo(Find(), "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(exposition);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            throw new TimeoutException("promtool check metrics did not finish within 30 s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "promtool");
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "PROMTOOL IS MISSING: the Prometheus exposition cannot be validated. Run scripts/setup-dependencies.sh (installs Debian's prometheus package, which ships promtool).");
    }
}
