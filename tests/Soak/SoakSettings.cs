using System.Globalization;

namespace Appliance.Soak;

/// <summary>What one soak run does; read from `--name value` pairs.</summary>
internal sealed record SoakSettings(string ModelPath, int Requests, int Clients, int MaxTokens, TimeSpan RequestTimeout)
{
    public const string Usage =
        "usage: Appliance.Soak --model DIR [--requests 10000] [--clients 8] [--max-tokens 8] [--request-timeout-seconds 30]";

    public static SoakSettings Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count || !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            }

            values[args[i]] = args[i + 1];
        }

        var settings = new SoakSettings(
            values.Remove("--model", out var model) ? model : throw new ArgumentException("--model is required"),
            Positive(values, "--requests", 10_000),
            Positive(values, "--clients", 8),
            Positive(values, "--max-tokens", 8),
            TimeSpan.FromSeconds(Positive(values, "--request-timeout-seconds", 30)));
        return values.Count > 0 ? throw new ArgumentException($"unknown option {values.Keys.First()}") : settings;
    }

    private static int Positive(Dictionary<string, string> values, string name, int fallback)
    {
        if (!values.Remove(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name} must be a positive integer, got '{text}'");
    }
}
