using System.Text.Json;

namespace Appliance.Inference.Tokenization;

/// <summary>
/// What of tokenizer_config.json changes encoding or decoding: clean_up_tokenization_spaces and the
/// additional_special_tokens that skipSpecialTokens also drops. Options we do not implement are refused.
/// </summary>
public sealed record TokenizerConfig(bool CleanUpTokenizationSpaces, IReadOnlyList<string> AdditionalSpecialTokens)
{
    /// <summary>What applies without a tokenizer_config.json (the reference's defaults).</summary>
    public static TokenizerConfig Default { get; } = new(CleanUpTokenizationSpaces: true, []);

    public static TokenizerConfig Read(string path)
    {
        using var document = TokenizerFile.ParseJson(path);
        var root = new JsonField(Path.GetFileName(path), "$", document.RootElement);
        if (root.Value.ValueKind != JsonValueKind.Object)
        {
            throw root.Error("must be an object");
        }

        foreach (var option in new[] { "remove_space", "do_lowercase_and_remove_accent", "split_special_tokens" })
        {
            if (root.OptionalBoolean(option, false))
            {
                throw root.Property(option).Unsupported($"{option}: true", "false");
            }
        }

        var additional = new List<string>();
        if (root.TryProperty("additional_special_tokens", out var list))
        {
            foreach (var item in list.Items())
            {
                // Entries are strings, or AddedToken objects in older files.
                additional.Add(item.Value.ValueKind == JsonValueKind.Object ? item.Property("content").GetString() : item.GetString());
            }
        }

        return new TokenizerConfig(root.OptionalBoolean("clean_up_tokenization_spaces", true), additional);
    }
}
