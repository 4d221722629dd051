namespace Appliance.Inference.Tokenization;

/// <summary>Builds the normalizer from tokenizer.json's "normalizer".</summary>
internal static class NormalizerReader
{
    private const string Supported = "Sequence, Prepend, Replace with a String pattern, NFC, NFD";

    public static Normalizer? Read(JsonField field)
    {
        if (field.IsNull)
        {
            return null;
        }

        var type = field.Property("type");
        return type.GetString() switch
        {
            "Sequence" => new SequenceNormalizer([.. field.Property("normalizers").Items().Select(n => Read(n) ?? throw n.Error("must not be null"))]),
            "Prepend" => new PrependNormalizer(field.Property("prepend").GetString()),
            "Replace" => new ReplaceNormalizer(ReadLiteralPattern(field, Supported), ReadReplacement(field)),
            "NFC" => new UnicodeFormNormalizer(compose: true),
            "NFD" => new UnicodeFormNormalizer(compose: false),
            var other => throw type.Unsupported($"normalizer type '{other}'", Supported),
        };
    }

    /// <summary>A Replace component's pattern, which must be a literal {"String": ...}.</summary>
    public static string ReadLiteralPattern(JsonField replace, string supported)
    {
        var pattern = replace.Property("pattern");
        if (pattern.TryProperty("String", out var literal))
        {
            var text = literal.GetString();
            return text.Length > 0 ? text : throw literal.Error("must not be empty");
        }

        var regex = pattern.Property("Regex");
        throw regex.Unsupported($"Regex pattern '{regex.GetString()}'", supported);
    }

    /// <summary>A Replace component's content; '$' would be a substitution pattern to the reference, so it is refused.</summary>
    public static string ReadReplacement(JsonField replace)
    {
        var content = replace.Property("content");
        var text = content.GetString();
        return text.Contains('$', StringComparison.Ordinal) ? throw content.Unsupported("content with '$'", "content without '$'") : text;
    }
}
