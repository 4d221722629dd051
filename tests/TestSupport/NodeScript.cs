using System.Diagnostics;

namespace Appliance.TestSupport;

/// <summary>Runs one of the reference scripts in tests/oracles with Node (found on PATH, or via $NODE).</summary>
public static class NodeScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public static string OraclesDirectory => RepoPaths.Combine("tests", "oracles");

    /// <summary>Runs <c>node tests/oracles/{script} {arguments}</c>; returns stdout, or throws with stderr.</summary>
    public static string Run(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(FindNode())
        {
            WorkingDirectory = OraclesDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(OraclesDirectory, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {Timeout.TotalMinutes} minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {script} failed with exit code {process.ExitCode}: {stderr.Result}");
        }

        return stdout.Result;
    }

    private static string FindNode()
    {
        if (Environment.GetEnvironmentVariable("NODE") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "node");
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("node is not on PATH (set NODE to its path); the reference implementations run on it.");
    }
}
