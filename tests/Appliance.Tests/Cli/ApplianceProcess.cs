using System.Diagnostics;

namespace Appliance.Tests.Cli;

/// <summary>
/// One `appliance` command as a child process (`dotnet exec appliance.dll ...`): for what must happen before ONNX
/// Runtime is loaded, which a test process can do only once.
/// </summary>
internal static class ApplianceProcess
{
    public static async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "appliance.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The child sees the product's own behaviour, not settings of whoever runs the tests (test.sh disables ONNX
        // Runtime's telemetry for every test process; the appliance must do it by itself).
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("APPLIANCE_", StringComparison.OrdinalIgnoreCase) || key is "ORT_DISABLE_TELEMETRY" or "NOTIFY_SOCKET").ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error);
    }
}
