namespace Appliance.Benchmarks;

/// <summary>What `appliance bench --json-schema` measured: constrained decoding and the share the mask takes of it.</summary>
internal sealed record StructuredMeasurement
{
    public required string Schema { get; init; }
    public required int VocabularySize { get; init; }

    /// <summary>Building the tokenizer's token bytes and tries, once per tokenizer.</summary>
    public required double VocabularyBuildMs { get; init; }

    /// <summary>Compiling the schema, once per schema.</summary>
    public required double CompileMs { get; init; }

    public required double DecodeTokensPerS { get; init; }

    /// <summary>The first mask of a request (before the first token; it also allocates the request's buffers), mean over runs.</summary>
    public required double FirstMaskUs { get; init; }

    /// <summary>Mean time of masking the logits and advancing past the chosen token, per decode step.</summary>
    public required double MaskUsPerToken { get; init; }

    /// <summary>The slowest single decode step's mask and advance.</summary>
    public required double MaskMaxUs { get; init; }

    /// <summary>Mask time over the constrained decode step time (the step includes the mask).</summary>
    public required double MaskFractionOfStep { get; init; }

    public required double AllocBytesPerToken { get; init; }

    /// <summary>Runs whose output was a complete value of the schema (all of them when the token limit leaves room).</summary>
    public required int CompleteOutputs { get; init; }

    public required int Runs { get; init; }
}
