using System.Collections;

namespace Appliance.Hosting;

/// <summary>
/// Settings from APPLIANCE_* environment variables: the prefix is dropped and "__" separates sections, so
/// APPLIANCE_REQUESTS__QUEUEDEPTH=4 sets Requests:QueueDepth (names are case-insensitive). Only section settings and
/// the top-level settings named in <see cref="ApplianceOptions.TopLevelSettings"/> are taken: other tools' APPLIANCE_*
/// variables (APPLIANCE_ORT_LIBRARY, run.sh's APPLIANCE_MODEL and APPLIANCE_BROKER) are not settings.
/// </summary>
public static class EnvironmentSettings
{
    public const string Prefix = "APPLIANCE_";

    public static Dictionary<string, string?> Read(IEnumerable<KeyValuePair<string, string?>> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (name.Length <= Prefix.Length || !name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var key = name[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal);
            if (key.Contains(':', StringComparison.Ordinal) || ApplianceOptions.TopLevelSettings.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                settings[key] = value;
            }
        }

        return settings;
    }

    /// <summary>This process's environment, as a dictionary <see cref="ApplianceSettingsSources.Environment"/> takes.</summary>
    public static Dictionary<string, string?> OfProcess()
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value;
        }

        return variables;
    }
}
