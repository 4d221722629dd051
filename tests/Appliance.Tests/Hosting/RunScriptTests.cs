using Appliance.TestSupport;
using Appliance.Tests.Cli;
using Appliance.Tests.Mqtt;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Appliance.Tests.Hosting;

/// <summary>
/// scripts/run.sh as a newcomer runs it (with a model given, so no demo model is built): the commands it prints work
/// as printed, and a SIGTERM to the script stops the service before the broker, leaving nothing behind.
/// </summary>
public sealed class RunScriptTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    // The script builds the appliance and the demo model before it prints anything.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_printed_command_is_answered_and_SIGTERM_to_the_script_stops_the_service_then_the_broker()
    {
        var port = MosquittoBroker.FreeLoopbackPort();
        var device = $"run{Guid.NewGuid():N}"[..16];
        using var script = StartScript(port, device);

        var printed = await script.WaitForLineAsync(line => line.Contains("mosquitto_sub", StringComparison.Ordinal) && line.Contains("\"$id", StringComparison.Ordinal), ScriptTimeout);
        await script.WaitForLineAsync(line => line.Contains("ready", StringComparison.Ordinal) && line.Contains(device, StringComparison.Ordinal), ScriptTimeout);
        var answer = await RunShellAsync(printed.Trim());

        Assert.Contains($"-h 127.0.0.1 -p {port.ToString(CultureInfo.InvariantCulture)}", printed, StringComparison.Ordinal);
        var examples = ReadmeExamples().ToList();
        Assert.True(examples.Count >= 9, $"only {examples.Count} README examples found");
        Assert.All(examples, example => Assert.Contains(
            example.Replace("-p 1883", $"-p {port.ToString(CultureInfo.InvariantCulture)}", StringComparison.Ordinal).Replace("appliance/demo/", $"appliance/{device}/", StringComparison.Ordinal),
            script.Output,
            StringComparison.Ordinal));
        Assert.Contains($"appliance/{device}/response/", answer, StringComparison.Ordinal);
        Assert.Contains("\"done\":true", answer, StringComparison.Ordinal);

        script.Terminate();
        var exit = await script.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.True(exit is not null, $"run.sh did not end after SIGTERM:\n{script.Output}");
        Assert.Empty(ProcessesMentioning($"--device-id {device}"));
        Assert.False(Listening(port), $"the local broker on {port} still runs");
        Assert.Contains("offline status published", script.Output, StringComparison.Ordinal);
    }

    /// <summary>The mosquitto_* lines of the README's "Trying it" section, for the quick start's broker.</summary>
    private static IEnumerable<string> ReadmeExamples()
    {
        var readme = File.ReadAllText(RepoPaths.Combine("README.md"));
        var start = readme.IndexOf("### Trying it with mosquitto_pub", StringComparison.Ordinal);
        var section = readme[start..readme.IndexOf("\n### ", start + 1, StringComparison.Ordinal)];
        return section.Split('\n').Where(line => line.StartsWith("mosquitto_", StringComparison.Ordinal) && line.Contains("-h 127.0.0.1 -p 1883", StringComparison.Ordinal));
    }

    private WatchedProcess StartScript(int port, string device)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepoPaths.Combine("scripts", "run.sh"));
        start.ArgumentList.Add("--no-discovery");
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("APPLIANCE_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["APPLIANCE_MODEL"] = model.ModelPath;
        start.Environment["APPLIANCE_MQTT_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["APPLIANCE_DEVICEID"] = device;
        // Any free port: the default 11434 may be taken (by Ollama, by a box another test runs).
        start.Environment["APPLIANCE_HTTP__URLS"] = "http://127.0.0.1:0";
        return new WatchedProcess(Process.Start(start)!);
    }

    private static async Task<string> RunShellAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"timeout 30 bash -c {Quote(command)}");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static List<int> ProcessesMentioning(string text)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Contains(text, StringComparison.Ordinal))
                    {
                        found.Add(pid);
                    }
                }
                catch (IOException)
                {
                    // The process ended while we looked.
                }
                catch (UnauthorizedAccessException)
                {
                    // Not ours.
                }
            }
        }

        return found;
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
