namespace Appliance.Inference.Tokenization;

/// <summary>Builds the pre-tokenizer from tokenizer.json's "pre_tokenizer".</summary>
internal static class PreTokenizerReader
{
    private const string Supported = "Sequence, Split, ByteLevel, Metaspace";

    public static PreTokenizer? Read(JsonField field)
    {
        if (field.IsNull)
        {
            return null;
        }

        var type = field.Property("type");
        return type.GetString() switch
        {
            "Sequence" => new SequencePreTokenizer([.. field.Property("pretokenizers").Items().Select(p => Read(p) ?? throw p.Error("must not be null"))]),
            "Split" => ReadSplit(field),
            "ByteLevel" => new ByteLevelPreTokenizer(field.Property("add_prefix_space").GetBoolean(), field.OptionalBoolean("use_regex", true)),
            "Metaspace" => ReadMetaspace(field),
            var other => throw type.Unsupported($"pre-tokenizer type '{other}'", Supported),
        };
    }

    private static SplitPreTokenizer ReadSplit(JsonField field)
    {
        if (field.OptionalBoolean("invert", false))
        {
            throw field.Property("invert").Unsupported("invert: true", "false");
        }

        var behaviorField = field.Property("behavior");
        var behavior = Enum.TryParse<SplitBehavior>(behaviorField.GetString(), ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw behaviorField.Unsupported($"behavior '{behaviorField.GetString()}'", string.Join(", ", Enum.GetNames<SplitBehavior>()));
        var pattern = field.Property("pattern");
        if (pattern.TryProperty("String", out var literal))
        {
            return new SplitPreTokenizer(new LiteralSplitPattern(literal.GetString()), behavior);
        }

        var regex = pattern.Property("Regex");
        return new SplitPreTokenizer(
            WordSplitPattern.TryCreate(regex.GetString())
                ?? throw regex.Unsupported($"regex '{regex.GetString()}'", "the GPT-2, cl100k (Llama 3) and Qwen 2 patterns, and String patterns"),
            behavior);
    }

    private static MetaspacePreTokenizer ReadMetaspace(JsonField field)
    {
        var replacementField = field.Property("replacement");
        var replacement = replacementField.GetString();
        if (replacement.Length != 1)
        {
            throw replacementField.Error("must be a single character");
        }

        if (field.OptionalString("str_rep") is { } strRep && strRep != replacement)
        {
            throw field.Property("str_rep").Unsupported("str_rep different from replacement", "str_rep equal to replacement");
        }

        MetaspacePrependScheme scheme;
        if (field.TryProperty("prepend_scheme", out var schemeField))
        {
            scheme = schemeField.GetString() switch
            {
                "always" => MetaspacePrependScheme.Always,
                "first" => MetaspacePrependScheme.First,
                "never" => MetaspacePrependScheme.Never,
                var other => throw schemeField.Unsupported($"prepend_scheme '{other}'", "always, first, never"),
            };
        }
        else
        {
            // Files from before prepend_scheme existed say add_prefix_space instead.
            scheme = field.OptionalBoolean("add_prefix_space", true) ? MetaspacePrependScheme.Always : MetaspacePrependScheme.Never;
        }

        return new MetaspacePreTokenizer(replacement[0], scheme, field.OptionalBoolean("split", true));
    }
}
