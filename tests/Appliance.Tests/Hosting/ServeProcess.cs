using System.Diagnostics;

namespace Appliance.Tests.Hosting;

/// <summary>
/// The built `appliance serve` as a real child process (`dotnet exec appliance.dll serve ...`), with its output
/// captured, stopped the way systemd stops it: SIGTERM.
/// </summary>
internal sealed class ServeProcess(Process process) : WatchedProcess(process)
{
    /// <summary>Starts <paramref name="applianceDll"/> (default: the one built next to this assembly) with `serve` and <paramref name="arguments"/>.</summary>
    public static ServeProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? applianceDll = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(applianceDll ?? Path.Combine(AppContext.BaseDirectory, "appliance.dll"));
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The child must not inherit settings from whoever runs the tests.
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("APPLIANCE_", StringComparison.OrdinalIgnoreCase) || key is "NOTIFY_SOCKET" or "WATCHDOG_USEC" or "WATCHDOG_PID" or "JOURNAL_STREAM").ToList())
        {
            start.Environment.Remove(name);
        }

        // Any free port: the default 11434 may be taken (by Ollama, by the other box of a fleet test).
        start.Environment["APPLIANCE_HTTP__URLS"] = "http://127.0.0.1:0";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }
}
