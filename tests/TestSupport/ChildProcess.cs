using System.Diagnostics;

namespace Appliance.TestSupport;

/// <summary>
/// Runs a program to completion and returns what it printed. A path ending in .dll runs under the dotnet host, so a
/// built tool (quantize.dll, appliance.dll) runs the way a user runs it, in a process of its own.
/// </summary>
public static class ChildProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <param name="program">An executable, or a .dll to run with dotnet.</param>
    /// <param name="arguments">The program's arguments.</param>
    /// <param name="environment">Variables added to (or replacing in) this process's environment.</param>
    /// <param name="workingDirectory">null: this process's.</param>
    /// <param name="timeout">null: 10 minutes; then the process tree is killed.</param>
    /// <returns>Standard output.</returns>
    /// <exception cref="InvalidOperationException">The exit code was not 0; the message carries standard error.</exception>
    public static string Run(
        string program,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        ArgumentNullException.ThrowIfNull(arguments);
        var runsUnderDotnet = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(runsUnderDotnet ? "dotnet" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        if (runsUnderDotnet)
        {
            start.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable] = value;
        }

        var limit = timeout ?? DefaultTimeout;
        var name = Path.GetFileName(program);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {string.Join(' ', start.ArgumentList)} did not finish within {limit}");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{name} {string.Join(' ', start.ArgumentList)} failed with exit code {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }

        return stdout.Result;
    }
}
