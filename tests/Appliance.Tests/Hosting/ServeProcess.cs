using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Appliance.Tests.Hosting;

/// <summary>
/// The built `appliance serve` as a real child process (`dotnet exec appliance.dll serve ...`), with its output
/// captured, stopped the way systemd stops it: SIGTERM.
/// </summary>
internal sealed partial class ServeProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

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

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ServeProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes when the process ends (on its own or stopped).</summary>
    public Task Exited => _process.WaitForExitAsync();

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Asks the service to stop, as `systemctl stop` does.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The exit code, or null when the process is still running after <paramref name="limit"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }

        // The parameterless wait also drains the redirected output.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
