namespace Appliance.Hosting;

/// <summary>Where `appliance serve` takes its settings from, lowest precedence first: config file, environment, command line.</summary>
public sealed record ApplianceSettingsSources
{
    /// <summary>Read when no <see cref="ConfigFile"/> is given, and only if it exists (the .deb installs it).</summary>
    public const string DefaultConfigFile = "/etc/appliance/appliance.json";

    /// <summary>The file named with --config: it must exist.</summary>
    public string? ConfigFile { get; init; }

    public string DefaultConfigFilePath { get; init; } = DefaultConfigFile;

    /// <summary>The process environment; only APPLIANCE_* variables are read (<see cref="EnvironmentSettings"/>).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Configuration keys ("Requests:QueueDepth") with the values given on the command line.</summary>
    public IReadOnlyDictionary<string, string?> CommandLine { get; init; } = new Dictionary<string, string?>();
}
