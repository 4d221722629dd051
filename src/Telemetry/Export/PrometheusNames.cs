using System.Text;

namespace Appliance.Telemetry.Export;

/// <summary>
/// Prometheus names and escaping: instrument names become metric names the way OpenTelemetry's Prometheus exporter
/// does it (dots to underscores, the unit as a suffix: "s" -> _seconds, "{token}/s" -> _per_second, "{request}" ->
/// nothing; counters end in _total), label values and help text are escaped as the 0.0.4 text format says.
/// </summary>
public static class PrometheusNames
{
    public static string MetricName(string instrumentName, string? unit, bool isCounter)
    {
        ArgumentNullException.ThrowIfNull(instrumentName);
        var name = new StringBuilder(Sanitize(instrumentName, allowColon: true));
        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !name.ToString().EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name.Append('_').Append(suffix);
        }

        if (isCounter)
        {
            name.Append("_total");
        }

        return name.ToString();
    }

    /// <summary>[a-zA-Z_][a-zA-Z0-9_]*: anything else becomes an underscore, a leading digit gets one in front.</summary>
    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>A label value inside double quotes: backslash, double quote and line feed escaped.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>HELP text: backslash and line feed escaped.</summary>
    public static string EscapeHelp(string help)
    {
        ArgumentNullException.ThrowIfNull(help);
        return help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }

    private static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit))
        {
            return string.Empty;
        }

        var slash = unit.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            var numerator = UnitWord(unit[..slash]);
            var denominator = UnitWord(unit[(slash + 1)..]).TrimEnd('s');
            return numerator.Length == 0 ? $"per_{denominator}" : $"{numerator}_per_{denominator}";
        }

        return UnitWord(unit);
    }

    /// <summary>UCUM units to Prometheus' base-unit words; annotations like {token} name no unit and vanish.</summary>
    private static string UnitWord(string unit) => unit switch
    {
        _ when unit.StartsWith('{') && unit.EndsWith('}') => string.Empty,
        "s" => "seconds",
        "ms" => "milliseconds",
        "By" => "bytes",
        "Cel" => "celsius",
        "W" => "watts",
        "V" => "volts",
        "A" => "amperes",
        "Hz" => "hertz",
        "%" => "percent",
        "1" => "ratio",
        _ => Sanitize(unit, allowColon: false),
    };

    private static string Sanitize(string name, bool allowColon)
    {
        var builder = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
