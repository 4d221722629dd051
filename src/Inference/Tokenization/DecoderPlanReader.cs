namespace Appliance.Inference.Tokenization;

/// <summary>
/// Turns tokenizer.json's "decoder" into a <see cref="DecoderPlan"/>: per-token decoders (Replace, Strip, Metaspace),
/// then at most one of ByteFallback or ByteLevel, then Fuse, then a Strip of the fused text. This covers the chains
/// real BPE tokenizers use; any other order is refused rather than approximated.
/// </summary>
internal static class DecoderPlanReader
{
    private const string Supported = "Sequence, Replace, Strip, Metaspace, ByteFallback, ByteLevel, Fuse";

    private enum Stage
    {
        PerToken,
        Grouped,
        Fused,
        Stripped,
    }

    public static DecoderPlan Read(JsonField field)
    {
        if (field.IsNull)
        {
            return new DecoderPlan([], ByteGrouping.None, OutputStrip: null, JoinWithSpaces: true);
        }

        var steps = new List<TokenTextStep>();
        var grouping = ByteGrouping.None;
        (char, int, int)? outputStrip = null;
        var stage = Stage.PerToken;
        foreach (var decoder in Flatten(field))
        {
            var typeField = decoder.Property("type");
            var type = typeField.GetString();
            switch (type, stage)
            {
                case ("Replace", Stage.PerToken):
                    steps.Add(new ReplaceStep(NormalizerReader.ReadLiteralPattern(decoder, Supported), NormalizerReader.ReadReplacement(decoder)));
                    break;
                case ("Strip", Stage.PerToken):
                    var (content, start, stop) = ReadStrip(decoder);
                    steps.Add(new StripStep(content, start, stop));
                    break;
                case ("Strip", Stage.Fused):
                    outputStrip = ReadStrip(decoder);
                    stage = Stage.Stripped;
                    break;
                case ("Metaspace", Stage.PerToken):
                    steps.Add(new MetaspaceStep(ReadSingleChar(decoder.Property("replacement"))));
                    break;
                case ("ByteFallback", Stage.PerToken):
                    grouping = ByteGrouping.ByteFallback;
                    stage = Stage.Grouped;
                    break;
                case ("ByteLevel", Stage.PerToken) when steps.Count == 0:
                    grouping = ByteGrouping.ByteLevel;
                    stage = Stage.Grouped;
                    break;
                case ("Fuse", Stage.PerToken or Stage.Grouped):
                    stage = Stage.Fused;
                    break;
                case ("Replace" or "Strip" or "Metaspace" or "ByteFallback" or "ByteLevel" or "Fuse", _):
                    throw typeField.Unsupported(
                        $"decoder '{type}' at this point of the chain",
                        "per-token Replace/Strip/Metaspace, then ByteFallback or ByteLevel (ByteLevel first), then Fuse, then Strip");
                default:
                    throw typeField.Unsupported($"decoder type '{type}'", Supported);
            }
        }

        return new DecoderPlan(steps, grouping, outputStrip, JoinWithSpaces: false);
    }

    private static IEnumerable<JsonField> Flatten(JsonField decoder)
    {
        if (decoder.Property("type").GetString() != "Sequence")
        {
            yield return decoder;
            yield break;
        }

        foreach (var inner in decoder.Property("decoders").Items())
        {
            foreach (var flat in Flatten(inner))
            {
                yield return flat;
            }
        }
    }

    private static (char Content, int Start, int Stop) ReadStrip(JsonField strip) =>
        (ReadSingleChar(strip.Property("content")), strip.OptionalInt32("start", 0), strip.OptionalInt32("stop", 0));

    private static char ReadSingleChar(JsonField field)
    {
        var text = field.GetString();
        return text.Length == 1 ? text[0] : throw field.Error("must be a single character");
    }
}
