namespace Appliance.Inference.Tokenization;

/// <summary>Reads tokenizer.json's "post_processor" as the ids it adds around a single sequence.</summary>
internal static class PostProcessorReader
{
    private const string Supported = "TemplateProcessing, ByteLevel, Sequence";

    public static SpecialTokenTemplate Read(JsonField field)
    {
        if (field.IsNull)
        {
            return SpecialTokenTemplate.None;
        }

        var type = field.Property("type");
        switch (type.GetString())
        {
            case "ByteLevel":
                // Only adjusts offsets, which we do not produce.
                return SpecialTokenTemplate.None;
            case "TemplateProcessing":
                return ReadTemplate(field);
            case "Sequence":
                var template = SpecialTokenTemplate.None;
                foreach (var processor in field.Property("processors").Items())
                {
                    template = Read(processor).Wrap(template);
                }

                return template;
            case var other:
                throw type.Unsupported($"post-processor type '{other}'", Supported);
        }
    }

    private static SpecialTokenTemplate ReadTemplate(JsonField field)
    {
        var specialTokens = field.Property("special_tokens");
        var prefix = new List<int>();
        var suffix = new List<int>();
        var sawSequence = false;
        foreach (var item in field.Property("single").Items())
        {
            if (item.TryProperty("Sequence", out var sequence))
            {
                var id = sequence.Property("id");
                if (id.GetString() != "A" || sawSequence)
                {
                    throw id.Error("must name sequence A exactly once in the single template");
                }

                sawSequence = true;
                continue;
            }

            var name = item.Property("SpecialToken").Property("id");
            var ids = specialTokens.TryProperty(name.GetString(), out var entry)
                ? entry.Property("ids").Items().Select(i => i.GetInt32())
                : throw name.Error($"names '{name.GetString()}', which is not in {specialTokens.Path}");
            (sawSequence ? suffix : prefix).AddRange(ids);
        }

        if (!sawSequence)
        {
            throw field.Property("single").Error("has no Sequence A");
        }

        return new SpecialTokenTemplate([.. prefix], [.. suffix]);
    }
}
