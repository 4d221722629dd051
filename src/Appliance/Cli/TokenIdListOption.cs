using System.CommandLine;
using System.Globalization;

namespace Appliance.Cli;

/// <summary>An option taking token ids as "1,2,3" (or "1 2 3").</summary>
internal static class TokenIdListOption
{
    public static Option<int[]> Create(string name, string description, bool required = true) => new(name)
    {
        Description = description,
        Required = required,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result =>
        {
            var ids = new List<int>();
            foreach (var part in result.Tokens.SelectMany(token => token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    result.AddError($"{name}: \"{part}\" is not a token id (a non-negative integer).");
                    return [];
                }

                ids.Add(id);
            }

            if (ids.Count == 0)
            {
                result.AddError($"{name}: no token ids given.");
            }

            return [.. ids];
        },
    };
}
