using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// Writes the decoder graph of contract E for Llama / Qwen2 / Qwen3: fused residual+RMSNorm
/// (SkipSimplifiedLayerNormalization), MatMul projections, GroupQueryAttention with rotary caches, SiLU MLP.
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

    public DecoderGraphBuilder(OnnxModelWriter writer, HfCheckpoint checkpoint, DecoderGraphSettings settings)
    {
        this.writer = writer;
        this.settings = settings;
        config = checkpoint.Config;
        type = settings.Precision.ElementType();
        graph = new GraphEmitter(writer);
        weights = new CheckpointWeights(checkpoint, writer, type);
    }

    public void Build()
    {
        writer.GraphName = $"{config.ArchitectureName} decoder";
        writer.AddOpset(string.Empty, 21);
        writer.AddOpset(GraphEmitter.MicrosoftDomain, 1);
        AddGraphInputs();
        AddGraphOutputs();

        var (seqlensK, totalLength) = AttentionLengths();
        var (cosCache, sinCache) = RotaryCaches();
        var (embedding, lmHead) = EmbeddingAndHead();

        // Each norm but the first also adds the previous block's output to the residual stream (fused).
        var residual = embedding;
        string? blockOutput = null;
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var prefix = $"model.layers.{layer}";
            var node = $"/model/layers.{layer}";
            string hidden;
            (hidden, residual) = blockOutput is null
                ? (Norm($"{node}/input_layernorm", residual, $"{prefix}.input_layernorm.weight"), residual)
                : SkipNorm($"{node}/input_layernorm", blockOutput, residual, $"{prefix}.input_layernorm.weight");

            var attention = Attention(layer, hidden, seqlensK, totalLength, cosCache, sinCache);
            (hidden, residual) = SkipNorm($"{node}/post_attention_layernorm", attention, residual, $"{prefix}.post_attention_layernorm.weight");
            blockOutput = Mlp(layer, hidden);
        }

        FinalNormAndLogits(blockOutput!, residual, lmHead);
        weights.EnsureAllUsed();
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

    // Tied weights are stored once, as lm_head's [hidden, vocab] MatMul operand; the embedding lookup gathers
    // its columns (Gather axis 1 -> [hidden, batch, seq]) and transposes the small result to [batch, seq, hidden].
    private (string Embedding, string LmHead) EmbeddingAndHead()
    {
        const string Embed = "model.embed_tokens.weight";
        if (config.TieWordEmbeddings)
        {
            var shared = weights.LinearWeight(Embed, "lm_head.MatMul.weight", config.VocabSize, config.HiddenSize);
            if (weights.Contains("lm_head.weight"))
            {
                weights.MarkUsed("lm_head.weight"); // HF overwrites it with the embedding when tied
            }

            var columns = graph.Node("Gather", "/model/embed_tokens/Gather", [shared, DecoderGraphNames.InputIds], OnnxAttribute.Int("axis", 1));
            var embedded = graph.Node("Transpose", "/model/embed_tokens/Transpose", [columns], OnnxAttribute.Ints("perm", 1, 2, 0));
            return (embedded, shared);
        }

        var table = weights.AsIs(Embed, Embed, config.VocabSize, config.HiddenSize);
        var lookup = graph.Node("Gather", "/model/embed_tokens/Gather", [table, DecoderGraphNames.InputIds]);
        var head = weights.LinearWeight("lm_head.weight", "lm_head.MatMul.weight", config.VocabSize, config.HiddenSize);
        return (lookup, head);
    }

    private string Attention(int layer, string hidden, string seqlensK, string totalLength, string cosCache, string sinCache)
    {
        var module = $"model.layers.{layer}.self_attn";
        var node = $"/model/layers.{layer}/attn";
        var queryWidth = config.NumAttentionHeads * config.HeadDim;
        var kvWidth = config.NumKeyValueHeads * config.HeadDim;

        var query = Linear($"{module}.q_proj", $"{node}/q_proj", hidden, queryWidth, config.HiddenSize, config.AttentionBias);
        var key = Linear($"{module}.k_proj", $"{node}/k_proj", hidden, kvWidth, config.HiddenSize, config.AttentionBias);
        var value = Linear($"{module}.v_proj", $"{node}/v_proj", hidden, kvWidth, config.HiddenSize, config.AttentionBias);
        if (config.HasQueryKeyNorm)
        {
            query = HeadNorm($"{module}.q_norm", $"{node}/q_norm", query, config.NumAttentionHeads);
            key = HeadNorm($"{module}.k_norm", $"{node}/k_norm", key, config.NumKeyValueHeads);
        }

        var output = $"{node}/GroupQueryAttention/output_0";
        graph.Node(
            "GroupQueryAttention",
            $"{node}/GroupQueryAttention",
            GraphEmitter.MicrosoftDomain,
            [query, key, value, DecoderGraphNames.PastKey(layer), DecoderGraphNames.PastValue(layer), seqlensK, totalLength, cosCache, sinCache],
            [output, DecoderGraphNames.PresentKey(layer), DecoderGraphNames.PresentValue(layer)],
            OnnxAttribute.Int("num_heads", config.NumAttentionHeads),
            OnnxAttribute.Int("kv_num_heads", config.NumKeyValueHeads),
            OnnxAttribute.Int("do_rotary", 1),
            OnnxAttribute.Int("rotary_interleaved", 0),
            OnnxAttribute.Float("scale", (float)(1.0 / Math.Sqrt(config.HeadDim))));

        return Linear($"{module}.o_proj", $"{node}/o_proj", output, config.HiddenSize, queryWidth, config.OutputProjectionBias);
    }

    // Qwen3 RMS-normalizes each head of Q and K over head_dim before the rotary embedding.
    private string HeadNorm(string module, string node, string projected, int heads)
    {
        var gamma = weights.Vector($"{module}.weight", $"{module}.weight", config.HeadDim);
        var perHead = graph.Node("Reshape", $"{node}/Reshape_to_heads", [projected, graph.Int64Constant(0, 0, heads, config.HeadDim)]);
        var normed = graph.Node("SimplifiedLayerNormalization", $"{node}/SimplifiedLayerNormalization", [perHead, gamma], NormAttributes(includeStash: true));
        return graph.Node("Reshape", $"{node}/Reshape_to_hidden", [normed, graph.Int64Constant(0, 0, heads * config.HeadDim)]);
    }

    private string Mlp(int layer, string hidden)
    {
        var module = $"model.layers.{layer}.mlp";
        var node = $"/model/layers.{layer}/mlp";
        var gate = Linear($"{module}.gate_proj", $"{node}/gate_proj", hidden, config.IntermediateSize, config.HiddenSize, hasBias: false);
        var up = Linear($"{module}.up_proj", $"{node}/up_proj", hidden, config.IntermediateSize, config.HiddenSize, hasBias: false);
        var sigmoid = graph.Node("Sigmoid", $"{node}/act_fn/Sigmoid", [gate]);
        var silu = graph.Node("Mul", $"{node}/act_fn/Mul", [gate, sigmoid]);
        var gated = graph.Node("Mul", $"{node}/Mul", [silu, up]);
        return Linear($"{module}.down_proj", $"{node}/down_proj", gated, config.HiddenSize, config.IntermediateSize, hasBias: false);
    }

    /// <summary>MatMul with the transposed weight, plus Add of the bias when config.json says the layer has one.</summary>
    private string Linear(string module, string node, string input, int outFeatures, int inFeatures, bool hasBias)
    {
        var weight = weights.LinearWeight($"{module}.weight", $"{module}.MatMul.weight", outFeatures, inFeatures);
        var product = graph.Node("MatMul", $"{node}/MatMul", [input, weight]);
        if (!hasBias)
        {
            return product;
        }

        var bias = weights.Vector($"{module}.bias", $"{module}.Add.bias", outFeatures);
        return graph.Node("Add", $"{node}/Add", [product, bias]);
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

        // Outputs 1 and 2 (mean, inv_std_var) are training-only; ORT's CPU kernel never produces them and nothing
        // reads them. ONNX would leave them "" but OnnxModelWriter does not accept empty output names yet.
        graph.Node("SkipSimplifiedLayerNormalization", name, GraphEmitter.MicrosoftDomain, [input, skip, gamma], [normalized, $"{name}/output_1", $"{name}/output_2", sum], NormAttributes(includeStash: false));
        return (normalized, sum);
    }

    private void FinalNormAndLogits(string lastOutput, string residual, string lmHead)
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

        var gamma = weights.Vector("model.norm.weight", "model.norm.weight", config.HiddenSize);
        var normalized = "/model/norm/SkipSimplifiedLayerNorm/output_0";
        graph.Node("SkipSimplifiedLayerNormalization", "/model/norm/SkipSimplifiedLayerNorm", GraphEmitter.MicrosoftDomain, [lastOutput, residual, gamma], [normalized], NormAttributes(includeStash: false));

        if (type == OnnxElementType.Float)
        {
            graph.Node("MatMul", "/lm_head/MatMul", string.Empty, [normalized, lmHead], [DecoderGraphNames.Logits]);
            return;
        }

        // Contract E: logits are float32 whatever the model's precision.
        var logits = graph.Node("MatMul", "/lm_head/MatMul", [normalized, lmHead]);
        graph.Node("Cast", "/lm_head/Cast", string.Empty, [logits], [DecoderGraphNames.Logits], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
    }

    private OnnxAttribute[] NormAttributes(bool includeStash)
    {
        var epsilon = OnnxAttribute.Float("epsilon", (float)config.RmsNormEps);
        return includeStash
            ? [OnnxAttribute.Int("axis", -1), epsilon, OnnxAttribute.Int("stash_type", 1)]
            : [epsilon];
    }
}

/// <summary>What the graph is built for: precision, logits for every position or only the last, rotary table length.</summary>
internal sealed record DecoderGraphSettings(ConversionPrecision Precision, bool AllLogits, int ContextLength);
