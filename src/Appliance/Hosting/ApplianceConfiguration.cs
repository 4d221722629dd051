using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace Appliance.Hosting;

/// <summary>Layers the config file, APPLIANCE_* environment variables and command-line values into one configuration.</summary>
public static class ApplianceConfiguration
{
    /// <summary>Throws <see cref="ApplianceOptionsException"/> when the config file is missing (if named), unreadable or not JSON.</summary>
    public static IConfigurationRoot Build(ApplianceSettingsSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var file = ChooseFile(sources);
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddJsonFile(file, optional: false, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(EnvironmentSettings.Read(sources.Environment));
        builder.AddInMemoryCollection(sources.CommandLine);
        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (InvalidDataException ex)
        {
            // The innermost exception is the JSON reader's, with the line and byte position.
            throw new ApplianceOptionsException($"config file '{file}' is not valid JSON: {ex.GetBaseException().Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ApplianceOptionsException($"config file '{file}' cannot be read: {ex.Message}", ex);
        }

        return configuration;
    }

    /// <summary>
    /// Top-level names in the config file that no setting has (typos such as "Mqtt" for "Broker"), one problem each.
    /// Environment variables are not checked: other tools share the APPLIANCE_ prefix.
    /// </summary>
    public static IEnumerable<string> FindUnknownNames(IConfiguration configuration) =>
        (configuration as IConfigurationRoot)?.Providers.OfType<JsonConfigurationProvider>()
            .SelectMany(provider => provider.GetChildKeys([], null)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(key => !ApplianceOptions.TopLevelKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
                .Select(key => $"config file '{FilePath(provider.Source)}': unknown setting '{key}' (known: {string.Join(", ", ApplianceOptions.TopLevelKeys)})"))
        ?? [];

    private static string FilePath(FileConfigurationSource source) =>
        source.FileProvider is PhysicalFileProvider files ? Path.Combine(files.Root, source.Path ?? string.Empty) : source.Path ?? string.Empty;

    private static string? ChooseFile(ApplianceSettingsSources sources)
    {
        if (sources.ConfigFile is not { } named)
        {
            return File.Exists(sources.DefaultConfigFilePath) ? Path.GetFullPath(sources.DefaultConfigFilePath) : null;
        }

        if (Directory.Exists(named))
        {
            throw new ApplianceOptionsException($"config file '{named}' is a directory, not a JSON file");
        }

        return File.Exists(named) ? Path.GetFullPath(named) : throw new ApplianceOptionsException($"config file '{named}' does not exist");
    }
}
