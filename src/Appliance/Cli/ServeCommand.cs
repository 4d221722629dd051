using Appliance.Contract;
using Appliance.Engine;
using Appliance.HomeAssistant;
using Appliance.Hosting;
using Appliance.Http;
using Appliance.MqttService;
using Microsoft.Extensions.Configuration;
using System.CommandLine;
using System.Globalization;

namespace Appliance.Cli;

/// <summary>
/// `appliance serve`: runs the service (MQTT and HTTP doors) in the foreground until SIGTERM or Ctrl-C. The settings one changes per run
/// (model, broker, device, request limits, watchdog) have options here; the rest (the panel, telemetry, logging, reply
/// topic lists) only the config file or APPLIANCE_* environment variables set. Given options override the environment,
/// which overrides the file. Invalid settings are listed one per line on stderr with exit code 2 before anything starts.
/// </summary>
internal static class ServeCommand
{
    internal static Command Create(string defaultConfigFile = ApplianceSettingsSources.DefaultConfigFile) => Create(defaultConfigFile, out _);

    /// <summary>The configuration keys and values the options on a `serve` command line set (without the config file and environment).</summary>
    internal static Dictionary<string, string?> CommandLineSettings(IReadOnlyList<string> args)
    {
        var root = new RootCommand { Create(ApplianceSettingsSources.DefaultConfigFile, out var settings) };
        return settings.Read(root.Parse(["serve", .. args]));
    }

    private static Command Create(string defaultConfigFile, out SettingOptions settingOptions)
    {
        var settings = settingOptions = new SettingOptions();
        var config = new Option<string?>("--config") { Description = $"JSON config file (default: {defaultConfigFile} if it exists)", HelpName = "FILE" };
        settings.Add<string>("--model", $"{EngineOptions.SectionName}:ModelPath", "DIR", "Model directory (genai_config.json, model.onnx, tokenizer.json, manifest.json)");
        settings.Add<int>("--threads", $"{EngineOptions.SectionName}:Threads", "N", "ONNX Runtime intra-op threads (0: the model's session options, else ONNX Runtime's choice)");
        settings.Add<string>("--ort-library", $"{EngineOptions.SectionName}:OrtLibrary", "FILE", "Path of libonnxruntime.so (a board's own ONNX Runtime build, e.g. with CUDA)");
        settings.Add<string>("--execution-provider", $"{EngineOptions.SectionName}:ExecutionProvider", "cpu|cuda|tensorrt", "Where ONNX Runtime runs the model (default cpu)");
        settings.Add<int>("--gpu-device-id", $"{EngineOptions.SectionName}:GpuDeviceId", "N", "CUDA device for cuda and tensorrt (default 0)");
        settings.Add<string>("--tensorrt-engine-cache", $"{EngineOptions.SectionName}:TensorRtEngineCache", "DIR", "Keep built TensorRT engines here across restarts");
        settings.Flag("--tensorrt-fp16", $"{EngineOptions.SectionName}:TensorRtFp16", "true", "Let TensorRT run layers in float16");
        settings.Flag("--no-verify", $"{EngineOptions.SectionName}:VerifyHashes", "false", "Skip the SHA-256 check of the model files at load");
        settings.Add<string>("--session-cache", $"{EngineOptions.SectionName}:SessionCache", "DIR", "Keep ONNX Runtime's optimised graph and prepacked weights here across restarts (verified at every load)");
        settings.Add<string>("--broker", $"{BrokerOptions.SectionName}:Url", "URL", "Broker URL: mqtt://HOST[:PORT] or mqtts://HOST[:PORT] (default mqtt://localhost:1883)");
        settings.Add<string>("--username", $"{BrokerOptions.SectionName}:Username", "NAME", "Broker user name");
        var passwordFile = new Option<string?>("--password-file")
        {
            Description = "File whose first line is the broker password (keeps it out of the process list) [Broker:Password]",
            HelpName = "FILE",
        };
        settings.Add<string>("--ca-file", $"{BrokerOptions.SectionName}:CaFile", "FILE", "PEM CA certificate the broker's certificate must chain to (mqtts)");
        settings.Add<string>("--client-cert", $"{BrokerOptions.SectionName}:ClientCertificateFile", "FILE", "PEM client certificate (mqtts, with --client-key)");
        settings.Add<string>("--client-key", $"{BrokerOptions.SectionName}:ClientKeyFile", "FILE", "PEM client key");
        settings.Add<string>("--client-id", $"{BrokerOptions.SectionName}:ClientId", "ID", "MQTT client id (default appliance-<device-id>)");
        settings.Add<ushort>("--keep-alive", $"{BrokerOptions.SectionName}:KeepAliveSeconds", "SECONDS", "MQTT keep-alive in seconds (default 30)");
        settings.Add<string>("--device-id", ApplianceOptions.DeviceIdKey, "ID", "Names the box in topics: appliance/<device-id>/... (default: from the host name)");
        settings.Add<int>("--queue-depth", $"{RequestLimits.SectionName}:QueueDepth", "N", "Requests that may wait behind the running one; more get `busy` (default 8)");
        settings.Add<int>("--queue-depth-per-reply-topic", $"{RequestLimits.SectionName}:QueueDepthPerReplyTopic", "N", "Requests for one reply topic that may wait; more get `busy` (default 4)");
        settings.Add<double>("--rate-per-reply-topic", $"{RequestLimits.SectionName}:RatePerReplyTopic", "N", "Requests per second one reply topic may bring; beyond it and the burst they get `busy` (default 50)");
        settings.Add<int>("--burst-per-reply-topic", $"{RequestLimits.SectionName}:BurstPerReplyTopic", "N", "Requests one reply topic may bring at once before the rate applies (default 100)");
        settings.Add<int>("--max-payload-bytes", $"{RequestLimits.SectionName}:MaxPayloadBytes", "BYTES", "Largest request payload (default 65536)");
        settings.Add<int>("--max-tokens", $"{RequestLimits.SectionName}:DefaultMaxTokens", "N", "Most tokens a reply gets when the request names no max_tokens; fewer when the context has less room (default 256)");
        settings.Add<int>("--max-tokens-cap", $"{RequestLimits.SectionName}:MaxTokensCap", "N", "Largest max_tokens a request may ask for (default 1024)");
        settings.Flag("--special-tokens-in-content", $"{RequestLimits.SectionName}:SpecialTokensInContent", "true", "Let special tokens' text in message content become control tokens (lets clients forge turns; default: plain text)");
        settings.Add<double>("--timeout", $"{RequestLimits.SectionName}:TimeoutSeconds", "SECONDS", "Wall-clock limit of one generation in seconds (default 120)");
        settings.Add<string>("--ha-prefix", $"{DiscoveryOptions.SectionName}:Prefix", "PREFIX", "Home Assistant discovery prefix (default homeassistant)");
        settings.Flag("--no-discovery", $"{DiscoveryOptions.SectionName}:Enabled", "false", "Do not publish Home Assistant discovery");
        settings.Add<double>("--stall-limit", $"{WatchdogOptions.SectionName}:StallLimitSeconds", "SECONDS", "Seconds without progress before the systemd watchdog pings stop (default 120)");
        settings.Add<string>("--http-urls", $"{HttpOptions.SectionName}:Urls", "URLS", $"Where the HTTP API listens, ';'-separated http://HOST:PORT (default {HttpOptions.DefaultUrls}; http://0.0.0.0:11434 opens it to the LAN)");
        settings.Add<double>("--shutdown-timeout", ApplianceOptions.ShutdownTimeoutKey, "SECONDS", "Seconds after SIGTERM within which the running request finishes or is cancelled and the status goes offline (default 2)");

        var command = new Command("serve", "Run the service (MQTT and the HTTP APIs) in the foreground (SIGTERM or Ctrl-C stops it)") { config, passwordFile };
        settings.AddTo(command);

        // A synchronous action on purpose: System.CommandLine gives asynchronous actions its own SIGTERM/Ctrl-C handling,
        // which forces exit code 143/130 when they take longer than its timeout. The host's console lifetime handles
        // the signals instead and stops the service as gracefully as ShutdownTimeoutSeconds allows, exiting 0.
        command.SetAction(parse => CommandLineRunner.RunAsync(parse, _ => ServeAsync(parse))
            .GetAwaiter().GetResult());
        return command;

        async Task<int> ServeAsync(ParseResult parse)
        {
            var error = parse.InvocationConfiguration.Error;
            ApplianceOptions options;
            IConfigurationRoot configuration;
            try
            {
                var commandLine = settings.Read(parse);
                if (parse.GetValue(passwordFile) is { } file)
                {
                    commandLine[$"{BrokerOptions.SectionName}:Password"] = ReadPassword(file);
                }

                configuration = ApplianceConfiguration.Build(new ApplianceSettingsSources
                {
                    ConfigFile = parse.GetValue(config),
                    DefaultConfigFilePath = defaultConfigFile,
                    Environment = EnvironmentSettings.OfProcess(),
                    CommandLine = commandLine,
                });
                options = ApplianceOptionsLoader.Load(configuration, Environment.MachineName);
            }
            catch (ApplianceOptionsException ex)
            {
                foreach (var problem in ex.Problems)
                {
                    error.WriteLine($"error: {problem}");
                }

                return CommandLineRunner.UsageExitCode;
            }

            return await ApplianceHost.RunAsync(options, configuration, SystemdEnvironment.FromProcess()).ConfigureAwait(false);
        }
    }

    private static string ReadPassword(string file)
    {
        try
        {
            using var reader = new StreamReader(file);
            return reader.ReadLine() ?? throw new ApplianceOptionsException($"--password-file '{file}' is empty");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ApplianceOptionsException($"--password-file '{file}' cannot be read: {ex.Message}", ex);
        }
    }

    /// <summary>The options that set one configuration key each, and reading the ones given into key/value pairs.</summary>
    private sealed class SettingOptions
    {
        private readonly List<(Option Option, string Key, Func<ParseResult, string?> Value)> _settings = [];

        public void Add<T>(string name, string key, string helpName, string description)
        {
            var option = new Option<T>(name) { Description = $"{description} [{key}]", HelpName = helpName };
            _settings.Add((option, key, parse => Convert.ToString(parse.GetValue(option), CultureInfo.InvariantCulture)));
        }

        public void Flag(string name, string key, string value, string description)
        {
            var option = new Option<bool>(name) { Description = $"{description} [{key}={value}]" };
            _settings.Add((option, key, _ => value));
        }

        public void AddTo(Command command)
        {
            foreach (var (option, _, _) in _settings)
            {
                command.Options.Add(option);
            }
        }

        /// <summary>Only the options given on this command line, so unset ones leave the file and environment in force.</summary>
        public Dictionary<string, string?> Read(ParseResult parse)
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var (option, key, value) in _settings)
            {
                // Flags report an implicit (default) result when absent: only explicit ones count.
                if (parse.GetResult(option) is { Implicit: false })
                {
                    values[key] = value(parse);
                }
            }

            return values;
        }
    }
}
