using Appliance.Cli;
using Appliance.TestSupport;
using System.CommandLine;

namespace Appliance.Tests.Hosting;

/// <summary>`appliance serve` refusing to start: every problem on stderr, exit code 2, nothing started.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new("appliance-serve");

    [Fact]
    public async Task A_missing_config_file_is_named()
    {
        var missing = _directory.Combine("missing.json");

        var (exitCode, error) = await ServeAsync("--config", missing, "--model", _directory.Path);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: config file '{missing}' does not exist\n", error);
    }

    [Fact]
    public async Task An_invalid_config_file_lists_every_problem()
    {
        var file = _directory.Combine("appliance.json");
        await File.WriteAllTextAsync(file, """{ "DeviceId": "a/b", "Requests": { "QueueDepth": 0 }, "Broker": { "Url": "http://x" } }""");

        var (exitCode, error) = await ServeAsync("--config", file);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, exitCode);
        Assert.All(lines, line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("error: DeviceId: The device id must be", StringComparison.Ordinal));
        Assert.Contains("error: no model: pass --model DIR (or set Engine:ModelPath)", lines);
        Assert.Contains(lines, line => line.StartsWith("error: Broker:Url", StringComparison.Ordinal));
        Assert.Contains("error: Requests:QueueDepth must be ≥ 1, got 0", lines);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_fails_clearly()
    {
        var file = _directory.Combine("appliance.json");
        await File.WriteAllTextAsync(file, "DeviceId = box");

        var (exitCode, error) = await ServeAsync("--config", file);

        Assert.Equal(2, exitCode);
        Assert.Equal($"error: config file '{file}' is not valid JSON: 'D' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.\n", error);
    }

    [Fact]
    public async Task Command_line_values_are_validated_like_file_values()
    {
        var (exitCode, error) = await ServeAsync("--model", _directory.Path, "--queue-depth", "0", "--max-tokens-cap", "0", "--timeout", "-1", "--ha-prefix", "a/#");
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, exitCode);
        Assert.Contains("error: Requests:QueueDepth must be ≥ 1, got 0", lines);
        Assert.Contains("error: Requests:MaxTokensCap must be ≥ 1, got 0", lines);
        Assert.Contains(lines, line => line.StartsWith("error: Requests:TimeoutSeconds", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("error: HomeAssistant:Prefix", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unparsable_option_value_is_a_usage_error()
    {
        var (exitCode, error) = await ServeAsync("--model", _directory.Path, "--queue-depth", "many");

        Assert.Equal(2, exitCode);
        Assert.Contains("many", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_password_file_is_named()
    {
        var missing = _directory.Combine("no-password");

        var (exitCode, error) = await ServeAsync("--model", _directory.Path, "--username", "box", "--password-file", missing);

        Assert.Equal(2, exitCode);
        Assert.StartsWith($"error: --password-file '{missing}' cannot be read: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_file_sets_the_broker_password()
    {
        var passwordFile = _directory.Combine("password");
        await File.WriteAllTextAsync(passwordFile, "s3cret\nignored second line\n");

        // Without --username the password is refused, which shows it was read.
        var (exitCode, error) = await ServeAsync("--model", _directory.Path, "--password-file", passwordFile);

        Assert.Equal(2, exitCode);
        Assert.Equal("error: Broker:Password needs Broker:Username\n", error);
    }

    [Fact]
    public void Every_option_sets_its_configuration_key()
    {
        var settings = ServeCommand.CommandLineSettings(
        [
            "--model", "/m", "--threads", "3", "--ort-library", "/ort.so", "--no-verify",
            "--broker", "mqtts://b:8883", "--username", "u", "--ca-file", "/ca", "--client-cert", "/c", "--client-key", "/k",
            "--client-id", "cid", "--keep-alive", "15", "--device-id", "dev",
            "--queue-depth", "4", "--max-payload-bytes", "4096", "--max-tokens", "32", "--max-tokens-cap", "64", "--timeout", "2.5",
            "--ha-prefix", "ha", "--no-discovery", "--stall-limit", "30", "--shutdown-timeout", "1.5",
            "--http-urls", "http://0.0.0.0:8080",
        ]);

        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["Engine:ModelPath"] = "/m",
                ["Engine:Threads"] = "3",
                ["Engine:OrtLibrary"] = "/ort.so",
                ["Engine:VerifyHashes"] = "false",
                ["Broker:Url"] = "mqtts://b:8883",
                ["Broker:Username"] = "u",
                ["Broker:CaFile"] = "/ca",
                ["Broker:ClientCertificateFile"] = "/c",
                ["Broker:ClientKeyFile"] = "/k",
                ["Broker:ClientId"] = "cid",
                ["Broker:KeepAliveSeconds"] = "15",
                ["DeviceId"] = "dev",
                ["Requests:QueueDepth"] = "4",
                ["Requests:MaxPayloadBytes"] = "4096",
                ["Requests:DefaultMaxTokens"] = "32",
                ["Requests:MaxTokensCap"] = "64",
                ["Requests:TimeoutSeconds"] = "2.5",
                ["HomeAssistant:Prefix"] = "ha",
                ["Http:Urls"] = "http://0.0.0.0:8080",
                ["HomeAssistant:Enabled"] = "false",
                ["Watchdog:StallLimitSeconds"] = "30",
                ["ShutdownTimeoutSeconds"] = "1.5",
            },
            settings.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary());
    }

    [Fact]
    public void Options_not_given_leave_the_file_and_environment_in_force()
    {
        Assert.Equal(new Dictionary<string, string?> { ["Engine:ModelPath"] = "/m" }, ServeCommand.CommandLineSettings(["--model", "/m"]));
    }

    public void Dispose() => _directory.Dispose();

    private async Task<(int ExitCode, string Error)> ServeAsync(params string[] args)
    {
        var root = new RootCommand("appliance") { ServeCommand.Create(defaultConfigFile: _directory.Combine("no-default.json")) };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CommandLineRunner.InvokeAsync(root, ["serve", .. args], output, error);
        Assert.Equal(string.Empty, output.ToString());
        return (exitCode, error.ToString().ReplaceLineEndings("\n"));
    }
}
