using Appliance.Inference.Runtime;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Onnx;
using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// Emits the two [vocab, hidden] tables: the token embedding lookup (Gather, or GatherBlockQuantized) and the lm_head
/// (FusedMatMul with transB over the table, or MatMulNBits). Tied tables are read and quantized once; when both sides
/// use the same quantized format and the hidden size is whole blocks, the codes are stored once and both operators
/// read them (see <see cref="QuantizedOperators.AddTiedGatherBlockQuantized"/>).
/// </summary>
internal sealed class VocabularyEmitter(
    OnnxModelWriter writer, GraphEmitter graph, CheckpointWeights weights, WeightQuantizer quantizer, HfModelConfig config, ConversionPrecision precision)
{
    private const string EmbedTensor = HfTensorNames.EmbedTokens;
    private const string HeadTensor = HfTensorNames.LmHead;
    private const string EmbedModule = HfTensorNames.EmbedModule;
    private const string HeadModule = HfTensorNames.LmHeadModule;

    private string? _floatTable;
    private QuantizedMatrix? _quantizedTable;
    private QuantizedInitializers? _sharedCodes;

    private WeightFormat EmbeddingsFormat => quantizer.Recipe.EmbeddingsFormat(precision);

    private WeightFormat HeadFormat => quantizer.Recipe.LmHeadFormat(precision);

    /// <summary>
    /// How the tables are stored, for the manifest: "untied"; "shared" (tied, one table read by both sides); or "separate"
    /// (tied, but the two sides want different formats, or the hidden size is not whole blocks).
    /// </summary>
    public string TiedStorage => !config.TieWordEmbeddings
        ? "untied"
        : EmbeddingsFormat == HeadFormat && (!EmbeddingsFormat.IsQuantized() || CanShareCodes) ? "shared" : "separate";

    /// <summary>The weight tensors the progress display counts for the two tables: one when a tied table is quantized or stored once.</summary>
    public int TensorCount => config.TieWordEmbeddings && EmbeddingsFormat == HeadFormat ? 1 : 2;

    private bool CanShareCodes =>
        config.TieWordEmbeddings && EmbeddingsFormat.IsQuantized() && EmbeddingsFormat == HeadFormat && config.HiddenSize % quantizer.Recipe.BlockSize == 0;

    /// <summary>Emits the lookup of <paramref name="inputIds"/>; returns the [batch, sequence, hidden] embeddings.</summary>
    public string Embeddings(string inputIds)
    {
        const string Node = "/model/embed_tokens";
        if (config.TieWordEmbeddings && weights.Contains(HeadTensor))
        {
            weights.MarkUsed(HeadTensor); // HF overwrites it with the embedding when tied
        }

        var format = EmbeddingsFormat;
        if (!format.IsQuantized())
        {
            return graph.Node("Gather", $"{Node}/Gather", [FloatTable(config.TieWordEmbeddings && !HeadFormat.IsQuantized() ? $"{EmbedModule} (tied lm_head)" : EmbedModule), inputIds]);
        }

        var tiedHeadToo = config.TieWordEmbeddings && HeadFormat == format;
        var matrix = Quantize(EmbedTensor, tiedHeadToo ? $"{EmbedModule} (tied lm_head)" : EmbedModule, format);
        _quantizedTable = tiedHeadToo ? matrix : null;
        if (CanShareCodes)
        {
            var reshaped = $"{Node}/GatherBlockQuantized/Reshape/output_0";
            _sharedCodes = QuantizedOperators.AddTiedGatherBlockQuantized(writer, $"{Node}/GatherBlockQuantized", inputIds, reshaped, matrix, $"{EmbedTensor}.shared");
            return reshaped;
        }

        var output = $"{Node}/GatherBlockQuantized/output_0";
        QuantizedOperators.AddGatherBlockQuantized(writer, $"{Node}/GatherBlockQuantized", inputIds, output, matrix, $"{EmbedTensor}.GatherBlockQuantized");
        return output;
    }

    /// <summary>Emits logits = hidden · tableᵀ as the float32 graph output <paramref name="logits"/>.</summary>
    public void Logits(string hidden, string logits)
    {
        const string Node = "/lm_head";
        var format = HeadFormat;
        if (_sharedCodes is not null)
        {
            QuantizedOperators.AddMatMulNBitsNode(writer, $"{Node}/MatMulNBits", hidden, logits, _quantizedTable!, _sharedCodes, accuracyLevel: quantizer.Recipe.AccuracyLevel);
            return;
        }

        if (format.IsQuantized())
        {
            var matrix = _quantizedTable ?? Quantize(config.TieWordEmbeddings ? EmbedTensor : HeadTensor, HeadModule, format);
            QuantizedOperators.AddMatMulNBits(writer, $"{Node}/MatMulNBits", hidden, logits, matrix, $"{HeadTensor}.MatMulNBits", accuracyLevel: quantizer.Recipe.AccuracyLevel);
            return;
        }

        var table = config.TieWordEmbeddings ? FloatTable(HeadModule) : StoreFloat(HeadTensor, HeadTensor, HeadModule);
        var transposeHead = OnnxAttribute.Int("transB", 1);
        if (weights.ElementType == OnnxElementType.Float)
        {
            graph.Node("FusedMatMul", $"{Node}/MatMul", GraphEmitter.MicrosoftDomain, [hidden, table], [logits], transposeHead);
            return;
        }

        // Contract E: logits are float32 whatever the model's precision.
        var product = graph.DomainNode("FusedMatMul", $"{Node}/MatMul", GraphEmitter.MicrosoftDomain, [hidden, table], transposeHead);
        graph.Node("Cast", $"{Node}/Cast", string.Empty, [product], [logits], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
    }

    // Embedding and a float lm_head keep the checkpoint's [vocab, hidden] layout: the lookup gathers one contiguous row
    // per token, lm_head multiplies by the transpose (FusedMatMul transB; ONNX Runtime pre-packs B either way).
    private string FloatTable(string module) => _floatTable ??= StoreFloat(EmbedTensor, EmbedTensor, module);

    private string StoreFloat(string tensor, string initializer, string module)
    {
        var name = weights.AsIs(tensor, initializer, config.VocabSize, config.HiddenSize);
        quantizer.StoredAsFloat(module, (long)config.VocabSize * config.HiddenSize, weights.ElementType.ToString().ToLowerInvariant());
        return name;
    }

    private QuantizedMatrix Quantize(string tensor, string module, WeightFormat format) =>
        quantizer.Quantize(module, weights.Matrix(tensor, config.VocabSize, config.HiddenSize), config.VocabSize, config.HiddenSize, format, tensor);
}
