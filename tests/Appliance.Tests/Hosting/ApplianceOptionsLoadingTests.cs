using Appliance.Hosting;
using Appliance.TestSupport;

namespace Appliance.Tests.Hosting;

public sealed class ApplianceOptionsLoadingTests : IDisposable
{
    private readonly TempDirectory _directory = new("appliance-options");
    private readonly string _model;
    private readonly ApplianceSettingsSources _sources;

    public ApplianceOptionsLoadingTests()
    {
        _model = _directory.Combine("model");
        Directory.CreateDirectory(_model);

        // Tests never read this machine's /etc/appliance/appliance.json.
        _sources = new ApplianceSettingsSources { DefaultConfigFilePath = _directory.Combine("absent.json") };
    }

    [Fact]
    public void Binds_every_section_from_the_config_file()
    {
        var file = WriteConfig($$"""
            {
              "DeviceId": "kitchen-box",
              "Engine": { "ModelPath": "{{_model}}", "Threads": 3, "VerifyHashes": false },
              "Broker": { "Url": "mqtt://broker.lan:1884", "Username": "box", "Password": "pw", "ClientId": "box-1", "KeepAliveSeconds": 15 },
              "Requests": { "QueueDepth": 4, "MaxPayloadBytes": 4096, "DefaultMaxTokens": 64, "MaxTokensCap": 128, "TimeoutSeconds": 30.5 },
              "HomeAssistant": { "Enabled": false, "Prefix": "ha" },
              "Watchdog": { "StallLimitSeconds": 45 },
              "Panel": { "Buttons": { "Cancel": { "Chip": "pinctrl-rp1", "Line": "22" } }, "LongPressMilliseconds": 1500 },
              "Telemetry": { "IntervalSeconds": 10, "MetricsEndpoint": "127.0.0.1:9464" },
              "ShutdownTimeoutSeconds": 1.5,
              "Logging": { "LogLevel": { "Default": "Warning" } }
            }
            """);

        var options = Load(_sources with { ConfigFile = file });

        Assert.Equal("kitchen-box", options.DeviceId);
        Assert.Equal((_model, 3, false), (options.Engine.ModelPath, options.Engine.Threads, options.Engine.VerifyHashes));
        Assert.Equal(("mqtt://broker.lan:1884", "box", "pw", "box-1", (ushort)15),
            (options.Broker.Url, options.Broker.Username, options.Broker.Password, options.Broker.ClientId, options.Broker.KeepAliveSeconds));
        Assert.Equal((4, 4096, 64, 128, 30.5),
            (options.Requests.QueueDepth, options.Requests.MaxPayloadBytes, options.Requests.DefaultMaxTokens, options.Requests.MaxTokensCap, options.Requests.TimeoutSeconds));
        Assert.Equal((false, "ha"), (options.HomeAssistant.Enabled, options.HomeAssistant.Prefix));
        Assert.Equal(45, options.Watchdog.StallLimitSeconds);
        Assert.Equal(("pinctrl-rp1", "22", 1500), (options.Panel.Buttons?.Cancel?.Chip, options.Panel.Buttons?.Cancel?.Line, options.Panel.LongPressMilliseconds));
        Assert.Equal(["cancel"], options.Panel.ButtonNames());
        Assert.Equal((10.0, "127.0.0.1:9464"), (options.Telemetry.IntervalSeconds, options.Telemetry.MetricsEndpoint));
        Assert.Equal(1.5, options.ShutdownTimeoutSeconds);
    }

    [Fact]
    public void Environment_overrides_the_file_and_the_command_line_overrides_both()
    {
        var file = WriteConfig($$"""{ "Engine": { "ModelPath": "{{_model}}" }, "Requests": { "QueueDepth": 2, "MaxTokensCap": 300, "TimeoutSeconds": 10 } }""");
        var sources = _sources with
        {
            ConfigFile = file,
            Environment = new Dictionary<string, string?>
            {
                ["APPLIANCE_REQUESTS__QUEUEDEPTH"] = "3",
                ["appliance_requests__maxtokenscap"] = "500",
                ["OTHER_REQUESTS__TIMEOUTSECONDS"] = "99",
            },
            CommandLine = new Dictionary<string, string?> { ["Requests:QueueDepth"] = "5" },
        };

        var options = Load(sources);

        Assert.Equal(5, options.Requests.QueueDepth);
        Assert.Equal(500, options.Requests.MaxTokensCap);
        Assert.Equal(10, options.Requests.TimeoutSeconds);
    }

    [Fact]
    public void Http_settings_come_from_the_file_the_environment_and_the_http_urls_flag()
    {
        var file = WriteConfig($$"""
            {
              "Engine": { "ModelPath": "{{_model}}" },
              "Http": { "Urls": "http://127.0.0.1:1", "ApiKeys": [ "k1", "k2" ], "MaxRequestBodyBytes": 1000, "Cors": { "AllowedOrigins": [ "http://ui.lan:3000" ] } }
            }
            """);

        var fromFile = Load(_sources with { ConfigFile = file });
        var fromEnvironment = Load(_sources with { ConfigFile = file, Environment = new Dictionary<string, string?> { ["APPLIANCE_HTTP__URLS"] = "http://127.0.0.1:2" } });
        var fromFlag = Load(_sources with
        {
            ConfigFile = file,
            Environment = new Dictionary<string, string?> { ["APPLIANCE_HTTP__URLS"] = "http://127.0.0.1:2" },
            CommandLine = Appliance.Cli.ServeCommand.CommandLineSettings(["--http-urls", "http://[::1]:3;http://127.0.0.1:4"]),
        });

        Assert.Equal(("http://127.0.0.1:1", true), (fromFile.Http.Urls, fromFile.Http.Enabled));
        Assert.Equal(["k1", "k2"], fromFile.Http.ApiKeys);
        Assert.Equal(1000, fromFile.Http.MaxRequestBodyBytes);
        Assert.Equal(["http://ui.lan:3000"], fromFile.Http.Cors.AllowedOrigins);
        Assert.Equal("http://127.0.0.1:2", fromEnvironment.Http.Urls);
        Assert.Equal("http://[::1]:3;http://127.0.0.1:4", fromFlag.Http.Urls);
    }

    [Fact]
    public void Invalid_http_settings_are_configuration_errors()
    {
        var sources = _sources with
        {
            CommandLine = new Dictionary<string, string?>
            {
                ["Engine:ModelPath"] = _model,
                ["Http:Urls"] = "http://127.0.0.1",
                ["Http:MaxRequestBodyBytes"] = "lots",
                ["Http:Port"] = "80",
            },
        };

        var error = Assert.Throws<ApplianceOptionsException>(() => Load(sources));

        Assert.Contains("Http:Urls 'http://127.0.0.1' must be http://HOST:PORT with the port and without a path, e.g. http://127.0.0.1:11434", error.Problems);
        Assert.Contains(error.Problems, problem => problem.StartsWith("Http:MaxRequestBodyBytes", StringComparison.Ordinal) && problem.Contains("lots", StringComparison.Ordinal));
        Assert.Contains("Http has no setting 'Port'", error.Problems);
    }

    [Fact]
    public void Works_from_the_command_line_alone_when_the_default_file_is_absent()
    {
        var options = Load(_sources with
        {
            DefaultConfigFilePath = _directory.Combine("absent.json"),
            CommandLine = new Dictionary<string, string?> { ["Engine:ModelPath"] = _model, ["DeviceId"] = "bench_1" },
        });

        Assert.Equal(_model, options.Engine.ModelPath);
        Assert.Equal("bench_1", options.DeviceId);
        Assert.Equal(8, options.Requests.QueueDepth);
        Assert.Equal("mqtt://localhost:1883", options.Broker.Url);
    }

    [Fact]
    public void Reads_the_default_file_when_it_exists()
    {
        var file = WriteConfig($$"""{ "Engine": { "ModelPath": "{{_model}}" }, "DeviceId": "from-default" }""");

        Assert.Equal("from-default", Load(new ApplianceSettingsSources { DefaultConfigFilePath = file }).DeviceId);
    }

    [Fact]
    public void Derives_the_device_id_from_the_host_name_when_none_is_set()
    {
        var options = Load(_sources with { CommandLine = new Dictionary<string, string?> { ["Engine:ModelPath"] = _model } }, hostName: "Pi5.Workshop.lan");

        Assert.Equal("pi5-workshop-lan", options.DeviceId);
    }

    [Fact]
    public void A_named_config_file_must_exist()
    {
        var missing = _directory.Combine("nope.json");

        Assert.Equal([$"config file '{missing}' does not exist"], Problems(_sources with { ConfigFile = missing }));
        Assert.Equal([$"config file '{_model}' is a directory, not a JSON file"], Problems(_sources with { ConfigFile = _model }));
    }

    [Fact]
    public void A_config_file_that_is_not_json_is_named_with_the_parser_message()
    {
        var file = WriteConfig("{ \"DeviceId\": ");

        var problem = Assert.Single(Problems(_sources with { ConfigFile = file }));

        Assert.StartsWith($"config file '{file}' is not valid JSON: ", problem, StringComparison.Ordinal);
        Assert.True(problem.Length > $"config file '{file}' is not valid JSON: ".Length, problem);
    }

    [Fact]
    public void Unknown_top_level_names_in_the_file_are_reported_with_the_other_problems()
    {
        var file = WriteConfig($$"""{ "Engine": { "ModelPath": "{{_model}}" }, "Mqtt": { "Url": "mqtt://x" }, "Modle": {}, "Requests": { "QueueDepth": 0 } }""");

        var problems = Problems(_sources with { ConfigFile = file });

        var known = "DeviceId, Engine, Broker, Requests, HomeAssistant, Watchdog, Panel, Telemetry, Http, Fleet, ShutdownTimeoutSeconds, Logging";
        Assert.Equal(
            [
                "Requests:QueueDepth must be ≥ 1, got 0",
                $"config file '{file}': unknown setting 'Modle' (known: {known})",
                $"config file '{file}': unknown setting 'Mqtt' (known: {known})",
            ],
            problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Unknown_names_from_the_environment_or_command_line_are_not_file_problems()
    {
        var options = Load(_sources with
        {
            Environment = new Dictionary<string, string?> { ["APPLIANCE_ORT_LIBRARY"] = "/x" },
            CommandLine = new Dictionary<string, string?> { ["Engine:ModelPath"] = _model },
        });

        Assert.Equal(_model, options.Engine.ModelPath);
    }

    [Fact]
    public void Unknown_names_inside_a_section_and_unconvertible_values_are_reported_together()
    {
        var file = WriteConfig($$"""
            {
              "Engine": { "ModelPath": "{{_model}}", "Thread": 2 },
              "Requests": { "QueueDepth": "many" },
              "Watchdog": { "StallLimitSeconds": "soon" },
              "ShutdownTimeoutSeconds": "quick"
            }
            """);

        var problems = Problems(_sources with { ConfigFile = file });

        Assert.True(problems.Count == 4, string.Join("\n", problems));
        Assert.Contains("Engine has no setting 'Thread'", problems);
        Assert.Contains(problems, p => p.Contains("Requests:QueueDepth", StringComparison.Ordinal) && p.Contains("many", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Watchdog:StallLimitSeconds", StringComparison.Ordinal) && p.Contains("soon", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ShutdownTimeoutSeconds", StringComparison.Ordinal) && p.Contains("quick", StringComparison.Ordinal));
    }

    [Fact]
    public void A_value_that_does_not_convert_does_not_hide_the_range_checks_of_its_section_and_names_no_dotnet_type()
    {
        var file = WriteConfig($$"""
            {
              "Engine": { "ModelPath": "{{_model}}" },
              "Requests": { "QueueDepth": "many", "MaxTokensCap": 0, "TimeoutSeconds": "long" },
              "HomeAssistant": { "Enabled": "yes please" }
            }
            """);

        var problems = Problems(_sources with { ConfigFile = file });

        Assert.Equal(
            [
                "Requests:QueueDepth: 'many' is not a whole number",
                "Requests:TimeoutSeconds: 'long' is not a number",
                "HomeAssistant:Enabled: 'yes please' is not true or false",
                "Requests:MaxTokensCap must be ≥ 1, got 0",
                "Requests:DefaultMaxTokens must be between 1 and MaxTokensCap (0), got 256",
            ],
            problems);
    }

    [Fact]
    public void Every_invalid_value_is_listed_at_once()
    {
        var missingModel = _directory.Combine("no-model");
        var problems = Problems(_sources with
        {
            CommandLine = new Dictionary<string, string?>
            {
                ["DeviceId"] = "kitchen/box",
                ["Engine:ModelPath"] = missingModel,
                ["Engine:Threads"] = "-1",
                ["Broker:Url"] = "http://broker",
                ["Broker:Password"] = "pw",
                ["Requests:QueueDepth"] = "0",
                ["Requests:MaxTokensCap"] = "0",
                ["Requests:TimeoutSeconds"] = "0",
                ["HomeAssistant:Prefix"] = "home/#",
                ["Watchdog:StallLimitSeconds"] = "0",
                ["ShutdownTimeoutSeconds"] = "0",
            },
        });

        Assert.Contains("DeviceId: The device id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-', got 'kitchen/box'.", problems);
        Assert.Contains($"Engine:ModelPath '{missingModel}' is not a directory", problems);
        Assert.Contains("Engine:Threads must be ≥ 0, got -1", problems);
        Assert.Contains(problems, p => p.StartsWith("Broker:Url", StringComparison.Ordinal));
        Assert.Contains("Broker:Password needs Broker:Username", problems);
        Assert.Contains("Requests:QueueDepth must be ≥ 1, got 0", problems);
        Assert.Contains("Requests:MaxTokensCap must be ≥ 1, got 0", problems);
        Assert.Contains(problems, p => p.StartsWith("Requests:TimeoutSeconds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("HomeAssistant:Prefix", StringComparison.Ordinal));
        Assert.Contains("Watchdog:StallLimitSeconds must be > 0 and at most 86400 (a day), got 0", problems);
        Assert.Contains("ShutdownTimeoutSeconds must be > 0 and at most 60, got 0", problems);
    }

    [Fact]
    public void A_missing_model_path_says_how_to_set_it()
    {
        Assert.Equal(["no model: pass --model DIR (or set Engine:ModelPath)"], Problems(_sources));
    }

    public void Dispose() => _directory.Dispose();

    private string WriteConfig(string json)
    {
        var path = _directory.Combine($"appliance-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static ApplianceOptions Load(ApplianceSettingsSources sources, string hostName = "test-host") =>
        ApplianceOptionsLoader.Load(ApplianceConfiguration.Build(sources), hostName);

    private static List<string> Problems(ApplianceSettingsSources sources)
    {
        var error = Assert.Throws<ApplianceOptionsException>(() => Load(sources));
        Assert.Equal(string.Join(Environment.NewLine, error.Problems), error.Message);
        return [.. error.Problems];
    }
}
