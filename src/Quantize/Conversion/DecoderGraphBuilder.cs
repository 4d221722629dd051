using Appliance.Inference.Runtime;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// Writes the decoder graph of contract E for Llama / Qwen2 / Qwen3: fused residual+RMSNorm
/// (SkipSimplifiedLayerNormalization), one projection for Q/K/V and one for gate/up (stacked weights: fewer kernels per
/// token in the memory-bound decode), GroupQueryAttention with rotary caches, SiLU MLP, embedding and lm_head over
/// one [vocab, hidden] table when tied. Projections are MatMul, or MatMulNBits in an int4/int8 model.
/// </summary>
internal sealed class DecoderGraphBuilder
{
    private const string Batch = "batch_size";
    private const string Sequence = "sequence_length";
    private const string PastSequence = "past_sequence_length";
    private const string TotalSequence = "total_sequence_length";

    private readonly HfModelConfig config;
    private readonly OnnxModelWriter writer;
    private readonly GraphEmitter graph;
    private readonly CheckpointWeights weights;
    private readonly DecoderGraphSettings settings;
    private readonly OnnxElementType type;
    private readonly ProjectionEmitter projections;
    private readonly VocabularyEmitter vocabulary;
    private readonly ConversionProgress? progress;

    public DecoderGraphBuilder(OnnxModelWriter writer, HfCheckpoint checkpoint, DecoderGraphSettings settings, ConversionProgress? progress = null)
    {
        this.writer = writer;
        this.settings = settings;
        this.progress = progress;
        config = checkpoint.Config;
        type = settings.Precision.ElementType();
        graph = new GraphEmitter(writer);
        weights = new CheckpointWeights(checkpoint, writer, type);
        Quantizer = new WeightQuantizer(settings.Quantization, progress);
        projections = new ProjectionEmitter(writer, graph, weights, Quantizer, settings.Precision);
        vocabulary = new VocabularyEmitter(writer, graph, weights, Quantizer, config, settings.Precision);
    }

    /// <summary>Holds the per-tensor reconstruction errors once <see cref="Build"/> has run (empty for float models).</summary>
    public WeightQuantizer Quantizer { get; }

    /// <summary>How tied embedding and lm_head tables are stored (see <see cref="VocabularyEmitter.TiedStorage"/>).</summary>
    public string TiedStorage => vocabulary.TiedStorage;

    public void Build()
    {
        writer.GraphName = $"{config.ArchitectureName} decoder";
        writer.AddOpset(string.Empty, 21);
        writer.AddOpset(GraphEmitter.MicrosoftDomain, 1);
        AddGraphInputs();
        AddGraphOutputs();
        progress?.Start((4 * config.NumHiddenLayers) + vocabulary.TensorCount, WeightCount());

        var (seqlensK, totalLength) = AttentionLengths();
        var (cosCache, sinCache) = RotaryCaches();
        var embedding = vocabulary.Embeddings(DecoderGraphNames.InputIds);

        // Each norm but the first also adds the previous block's output to the residual stream (fused).
        var residual = embedding;
        string? blockOutput = null;
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var node = $"/model/layers.{layer}";
            string hidden;
            (hidden, residual) = blockOutput is null
                ? (Norm($"{node}/input_layernorm", residual, HfTensorNames.InputNorm(layer)), residual)
                : SkipNorm($"{node}/input_layernorm", blockOutput, residual, HfTensorNames.InputNorm(layer));

            var attention = Attention(layer, hidden, seqlensK, totalLength, cosCache, sinCache);
            (hidden, residual) = SkipNorm($"{node}/post_attention_layernorm", attention, residual, HfTensorNames.PostAttentionNorm(layer));
            blockOutput = Mlp(layer, hidden);
        }

        FinalNormAndLogits(blockOutput!, residual);
        progress?.Finish();
        weights.EnsureAllUsed();
    }

    // What the progress display counts as 100 %: the linear layers' and the vocabulary tables' weights.
    private long WeightCount()
    {
        long hidden = config.HiddenSize;
        long query = (long)config.NumAttentionHeads * config.HeadDim;
        long keyValue = (long)config.NumKeyValueHeads * config.HeadDim;
        var perLayer = (hidden * (query + (2 * keyValue))) + (query * hidden) + (3 * hidden * config.IntermediateSize);
        return (config.NumHiddenLayers * perLayer) + (vocabulary.TensorCount * config.VocabSize * hidden);
    }

    private void AddGraphInputs()
    {
        writer.AddInput(DecoderGraphNames.InputIds, OnnxElementType.Int64, Batch, Sequence);
        writer.AddInput(DecoderGraphNames.AttentionMask, OnnxElementType.Int64, Batch, TotalSequence);
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            writer.AddInput(DecoderGraphNames.PastKey(layer), type, Batch, config.NumKeyValueHeads, PastSequence, config.HeadDim);
            writer.AddInput(DecoderGraphNames.PastValue(layer), type, Batch, config.NumKeyValueHeads, PastSequence, config.HeadDim);
        }
    }

    private void AddGraphOutputs()
    {
        OnnxDim positions = settings.AllLogits ? Sequence : 1;
        writer.AddOutput(DecoderGraphNames.Logits, OnnxElementType.Float, Batch, positions, config.VocabSize);
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            writer.AddOutput(DecoderGraphNames.PresentKey(layer), type, Batch, config.NumKeyValueHeads, TotalSequence, config.HeadDim);
            writer.AddOutput(DecoderGraphNames.PresentValue(layer), type, Batch, config.NumKeyValueHeads, TotalSequence, config.HeadDim);
        }
    }

    // GQA reads positions from seqlens_k = (tokens so far incl. this step) - 1 and the padded total length.
    private (string SeqlensK, string TotalLength) AttentionLengths()
    {
        const string Node = "/model/attn_mask_reformat";
        var tokens = graph.Node("ReduceSum", $"{Node}/ReduceSum", [DecoderGraphNames.AttentionMask, graph.Int64Constant(1)], OnnxAttribute.Int("keepdims", 0));
        var lastIndex = graph.Node("Sub", $"{Node}/Sub", [tokens, graph.Int64Constant(1)]);
        var seqlensK = graph.Node("Cast", $"{Node}/seqlens_k/Cast", [lastIndex], OnnxAttribute.Int("to", (long)OnnxElementType.Int32));
        var maskLength = graph.Node("Shape", $"{Node}/Shape", [DecoderGraphNames.AttentionMask], OnnxAttribute.Int("start", 1), OnnxAttribute.Int("end", 2));
        var totalLength = graph.Node("Cast", $"{Node}/total_seq_len/Cast", [maskLength], OnnxAttribute.Int("to", (long)OnnxElementType.Int32));
        return (seqlensK, totalLength);
    }

    private (string Cos, string Sin) RotaryCaches()
    {
        var (cos, sin) = RotaryCache.Compute(settings.ContextLength, config.HeadDim, config.RopeTheta, config.RopeScaling);
        long[] shape = [settings.ContextLength, config.HeadDim / 2];
        return (
            TensorEncoding.AddInitializer(writer, "cos_cache", type, shape, cos),
            TensorEncoding.AddInitializer(writer, "sin_cache", type, shape, sin));
    }

    // Q, K and V come from one MatMul over the stacked weights. GroupQueryAttention takes that packed QKV as its
    // query input (key and value omitted) unless Qwen3's per-head q/k norm has to sit between projection and attention.
    private string Attention(int layer, string hidden, string seqlensK, string totalLength, string cosCache, string sinCache)
    {
        var module = HfTensorNames.AttentionModule(layer);
        var node = $"/model/layers.{layer}/attn";
        var queryWidth = config.NumAttentionHeads * config.HeadDim;
        var kvWidth = config.NumKeyValueHeads * config.HeadDim;
        // Packed order is what GroupQueryAttention unpacks: q heads, then k heads, then v heads.
        LinearPart[] Parts(Func<int, char, string> tensor) =>
            [new(tensor(layer, 'q'), queryWidth), new(tensor(layer, 'k'), kvWidth), new(tensor(layer, 'v'), kvWidth)];
        var qkv = projections.Project(
            $"{node}/qkv_proj", $"{module}.qkv_proj", hidden, config.HiddenSize, Parts(HfTensorNames.AttentionWeight), config.AttentionBias ? Parts(HfTensorNames.AttentionBias) : null);

        string[] queryKeyValue = [qkv, string.Empty, string.Empty];
        if (config.HasQueryKeyNorm)
        {
            var split = graph.Split($"{node}/qkv_proj/Split", qkv, queryWidth, kvWidth, kvWidth);
            queryKeyValue =
            [
                HeadNorm(HfTensorNames.QueryKeyNorm(layer, 'q'), $"{node}/q_norm", split[0], config.NumAttentionHeads),
                HeadNorm(HfTensorNames.QueryKeyNorm(layer, 'k'), $"{node}/k_norm", split[1], config.NumKeyValueHeads),
                split[2],
            ];
        }

        var output = $"{node}/GroupQueryAttention/output_0";
        graph.Node(
            "GroupQueryAttention",
            $"{node}/GroupQueryAttention",
            GraphEmitter.MicrosoftDomain,
            [.. queryKeyValue, DecoderGraphNames.PastKey(layer), DecoderGraphNames.PastValue(layer), seqlensK, totalLength, cosCache, sinCache],
            [output, DecoderGraphNames.PresentKey(layer), DecoderGraphNames.PresentValue(layer)],
            OnnxAttribute.Int("num_heads", config.NumAttentionHeads),
            OnnxAttribute.Int("kv_num_heads", config.NumKeyValueHeads),
            OnnxAttribute.Int("do_rotary", 1),
            OnnxAttribute.Int("rotary_interleaved", 0),
            OnnxAttribute.Float("scale", (float)(1.0 / Math.Sqrt(config.HeadDim))));

        return projections.Project(
            $"{node}/o_proj", $"{module}.o_proj", output, queryWidth, [new(HfTensorNames.AttentionWeight(layer, 'o'), config.HiddenSize)],
            config.OutputProjectionBias ? [new(HfTensorNames.AttentionBias(layer, 'o'), config.HiddenSize)] : null);
    }

    // Qwen3 RMS-normalizes each head of Q and K over head_dim before the rotary embedding.
    private string HeadNorm(string gammaTensor, string node, string projected, int heads)
    {
        var gamma = weights.Vector(gammaTensor, gammaTensor, config.HeadDim);
        var perHead = graph.Node("Reshape", $"{node}/Reshape_to_heads", [projected, graph.Int64Constant(0, 0, heads, config.HeadDim)]);
        var normed = graph.Node("SimplifiedLayerNormalization", $"{node}/SimplifiedLayerNormalization", [perHead, gamma], NormAttributes(includeStash: true));
        return graph.Node("Reshape", $"{node}/Reshape_to_hidden", [normed, graph.Int64Constant(0, 0, heads * config.HeadDim)]);
    }

    // Gate and up read the same input: one MatMul over [hidden, 2 * intermediate], split in two for SiLU(gate) * up.
    private string Mlp(int layer, string hidden)
    {
        var module = HfTensorNames.MlpModule(layer);
        var node = $"/model/layers.{layer}/mlp";
        var width = config.IntermediateSize;
        var gateUp = projections.Project(
            $"{node}/gate_up_proj", $"{module}.gate_up_proj", hidden, config.HiddenSize, [new(HfTensorNames.Mlp(layer, "gate"), width), new(HfTensorNames.Mlp(layer, "up"), width)], biases: null);
        var split = graph.Split($"{node}/gate_up_proj/Split", gateUp, width, width);
        var (gate, up) = (split[0], split[1]);
        var sigmoid = graph.Node("Sigmoid", $"{node}/act_fn/Sigmoid", [gate]);
        var silu = graph.Node("Mul", $"{node}/act_fn/Mul", [gate, sigmoid]);
        var gated = graph.Node("Mul", $"{node}/Mul", [silu, up]);
        return projections.Project($"{node}/down_proj", $"{module}.down_proj", gated, width, [new(HfTensorNames.Mlp(layer, "down"), config.HiddenSize)], biases: null);
    }

    private string Norm(string node, string input, string gammaTensor)
    {
        var gamma = weights.Vector(gammaTensor, gammaTensor, config.HiddenSize);
        return graph.Node("SimplifiedLayerNormalization", $"{node}/SimplifiedLayerNormalization", [input, gamma], NormAttributes(includeStash: true));
    }

    /// <summary>residual' = input + skip; returns (RMSNorm(residual') * gamma, residual').</summary>
    private (string Normalized, string Residual) SkipNorm(string node, string input, string skip, string gammaTensor)
    {
        var gamma = weights.Vector(gammaTensor, gammaTensor, config.HiddenSize);
        var name = $"{node}/SkipSimplifiedLayerNorm";
        var normalized = $"{name}/output_0";
        var sum = $"{name}/output_3";

        // Outputs 1 and 2 (mean, inv_std_var) are training-only: left unused ("").
        graph.Node("SkipSimplifiedLayerNormalization", name, GraphEmitter.MicrosoftDomain, [input, skip, gamma], [normalized, string.Empty, string.Empty, sum], NormAttributes(includeStash: false));
        return (normalized, sum);
    }

    private void FinalNormAndLogits(string lastOutput, string residual)
    {
        if (!settings.AllLogits)
        {
            // Only the last position's logits are needed to pick the next token: slice before the final norm.
            long[] start = [-1];
            long[] end = [long.MaxValue];
            long[] axis = [1];
            lastOutput = graph.Node("Slice", "/model/final/Slice_output", [lastOutput, graph.Int64Constant(start), graph.Int64Constant(end), graph.Int64Constant(axis)]);
            residual = graph.Node("Slice", "/model/final/Slice_residual", [residual, graph.Int64Constant(start), graph.Int64Constant(end), graph.Int64Constant(axis)]);
        }

        var gamma = weights.Vector(HfTensorNames.FinalNorm, HfTensorNames.FinalNorm, config.HiddenSize);
        var normalized = "/model/norm/SkipSimplifiedLayerNorm/output_0";
        graph.Node("SkipSimplifiedLayerNormalization", "/model/norm/SkipSimplifiedLayerNorm", GraphEmitter.MicrosoftDomain, [lastOutput, residual, gamma], [normalized], NormAttributes(includeStash: false));
        vocabulary.Logits(normalized, DecoderGraphNames.Logits);
    }

    private OnnxAttribute[] NormAttributes(bool includeStash)
    {
        var epsilon = OnnxAttribute.Float("epsilon", (float)config.RmsNormEps);
        return includeStash
            ? [OnnxAttribute.Int("axis", -1), epsilon, OnnxAttribute.Int("stash_type", 1)]
            : [epsilon];
    }
}

/// <summary>What the graph is built for: precision and quantization recipe, logits for every position or only the last, rotary table length.</summary>
internal sealed record DecoderGraphSettings(ConversionPrecision Precision, bool AllLogits, int ContextLength)
{
    public QuantizationRecipe Quantization { get; init; } = new();
}
