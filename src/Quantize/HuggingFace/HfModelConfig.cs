using System.Text.Json;

namespace Appliance.Quantize.HuggingFace;

/// <summary>The parts of a Hugging Face config.json that define a Llama / Qwen2 / Qwen3 decoder.</summary>
public sealed record HfModelConfig(
    HfArchitecture Architecture,
    string ArchitectureName,
    int HiddenSize,
    int IntermediateSize,
    int NumHiddenLayers,
    int NumAttentionHeads,
    int NumKeyValueHeads,
    int HeadDim,
    int VocabSize,
    double RmsNormEps,
    double RopeTheta,
    RopeScaling? RopeScaling,
    bool TieWordEmbeddings,
    bool AttentionBias,
    int MaxPositionEmbeddings,
    int? BosTokenId,
    int[] EosTokenIds,
    int? PadTokenId,
    string? TorchDtype)
{
    public const string FileName = "config.json";

    // transformers' default when config.json names no rope_theta.
    private const double DefaultRopeTheta = 10000;

    /// <summary>Query heads that share one key/value head.</summary>
    public int GroupSize => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>What sets this architecture apart (flags, names), from the one per-architecture table.</summary>
    public HfArchitectureProfile Profile => HfArchitectures.Profile(Architecture);

    /// <summary>
    /// Whether o_proj carries a bias: Llama and Qwen3 follow attention_bias, Qwen2 never has one
    /// (its q/k/v bias is hard-wired, o_proj is bias-free).
    /// </summary>
    public bool OutputProjectionBias => AttentionBias && Profile.OutputProjectionBias;

    /// <summary>Qwen3 RMS-normalizes each query and key head before the rotary embedding.</summary>
    public bool HasQueryKeyNorm => Profile.QueryKeyNorm;

    public static HfModelConfig Load(string configJsonPath)
    {
        ArgumentNullException.ThrowIfNull(configJsonPath);
        if (!File.Exists(configJsonPath))
        {
            throw new HfCheckpointException($"{configJsonPath}: config file not found.");
        }

        return Parse(File.ReadAllText(configJsonPath), configJsonPath);
    }

    public static HfModelConfig Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new HfCheckpointException($"{sourceName}: not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            return Read(new JsonFieldReader(document.RootElement, sourceName));
        }
    }

    private static HfModelConfig Read(JsonFieldReader root)
    {
        var (architecture, className) = ReadArchitecture(root);
        var profile = HfArchitectures.Profile(architecture);
        RejectUnsupportedFeatures(root);

        var hiddenSize = Positive(root, "hidden_size");
        var heads = Positive(root, "num_attention_heads");
        var kvHeads = root.OptionalInt("num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
        {
            throw root.Error("num_key_value_heads", $"= {kvHeads} must be positive and divide num_attention_heads = {heads}");
        }

        var headDim = root.OptionalInt("head_dim") ?? DefaultHeadDim(root, hiddenSize, heads);
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw root.Error("head_dim", $"= {headDim} must be a positive even number (rotary pairs dimensions)");
        }

        var ropeParameters = root.OptionalObject("rope_parameters");
        var ropeTheta = root.Has("rope_theta")
            ? root.OptionalDouble("rope_theta", 0)
            : ropeParameters?.OptionalDouble("rope_theta", DefaultRopeTheta) ?? DefaultRopeTheta;
        if (ropeTheta <= 1)
        {
            throw root.Error("rope_theta", $"= {ropeTheta} must be greater than 1");
        }

        var rmsNormEps = root.OptionalDouble("rms_norm_eps", 1e-6);
        if (rmsNormEps <= 0)
        {
            throw root.Error("rms_norm_eps", $"= {rmsNormEps} must be positive");
        }

        return new HfModelConfig(
            architecture,
            className,
            hiddenSize,
            Positive(root, "intermediate_size"),
            Positive(root, "num_hidden_layers"),
            heads,
            kvHeads,
            headDim,
            Positive(root, "vocab_size"),
            rmsNormEps,
            ropeTheta,
            ReadRopeScaling(root.OptionalObject("rope_scaling") ?? ropeParameters),
            root.OptionalBool("tie_word_embeddings", false),
            profile.HardWiredQkvBias || root.OptionalBool("attention_bias", false),
            root.OptionalInt("max_position_embeddings") ?? profile.DefaultMaxPositionEmbeddings,
            root.OptionalInt("bos_token_id"),
            root.IntOrIntList("eos_token_id"),
            root.OptionalInt("pad_token_id"),
            root.OptionalString("torch_dtype") ?? root.OptionalString("dtype"));
    }

    private static (HfArchitecture Architecture, string ClassName) ReadArchitecture(JsonFieldReader root)
    {
        var architectures = root.RequiredArray("architectures");
        if (architectures.GetArrayLength() == 0 || architectures[0].ValueKind != JsonValueKind.String)
        {
            throw root.Error("architectures", "must list the model class name, e.g. [\"LlamaForCausalLM\"]");
        }

        var className = architectures[0].GetString()!;
        return HfArchitectures.TryFromClassName(className, out var architecture)
            ? (architecture, className)
            : throw root.Error("architectures", $"names \"{className}\", which is not supported; supported: {HfArchitectures.SupportedClassNames}");
    }

    private static void RejectUnsupportedFeatures(JsonFieldReader root)
    {
        var activation = root.OptionalString("hidden_act") ?? "silu";
        if (activation != "silu")
        {
            throw root.Error("hidden_act", $"= \"{activation}\" is not supported; only \"silu\" (SwiGLU MLP) is");
        }

        if (root.OptionalBool("mlp_bias", false))
        {
            throw root.Error("mlp_bias", "= true is not supported (MLP projections must be bias-free)");
        }

        if (root.OptionalBool("use_sliding_window", false))
        {
            throw root.Error("use_sliding_window", "= true is not supported (only full causal attention is)");
        }

        var partialRotary = root.OptionalDouble("partial_rotary_factor", 1);
        if (partialRotary != 1)
        {
            throw root.Error("partial_rotary_factor", $"= {partialRotary} is not supported (rotary must span the whole head)");
        }
    }

    private static int DefaultHeadDim(JsonFieldReader root, int hiddenSize, int heads) =>
        hiddenSize % heads == 0
            ? hiddenSize / heads
            : throw root.Error("head_dim", $"is missing and hidden_size = {hiddenSize} is not divisible by num_attention_heads = {heads}");

    private static int Positive(JsonFieldReader root, string name)
    {
        var value = root.RequiredInt(name);
        return value > 0 ? value : throw root.Error(name, $"= {value} must be positive");
    }

    private static RopeScaling? ReadRopeScaling(JsonFieldReader? scaling)
    {
        if (scaling is not { } fields)
        {
            return null;
        }

        var type = fields.OptionalString("rope_type") ?? fields.OptionalString("type") ?? "default";
        if (type == "default")
        {
            return null;
        }

        if (type != RopeScaling.Llama3Type)
        {
            throw new HfCheckpointException(
                $"{fields.SourceName}: field \"{fields.Path}\" has rope type \"{type}\", which is not supported; supported: \"llama3\" or none.");
        }

        var result = new RopeScaling(
            type,
            fields.RequiredDouble("factor"),
            fields.RequiredDouble("low_freq_factor"),
            fields.RequiredDouble("high_freq_factor"),
            fields.RequiredInt("original_max_position_embeddings"));
        if (result.Factor <= 0 || result.LowFreqFactor <= 0 || result.HighFreqFactor <= result.LowFreqFactor
            || result.OriginalMaxPositionEmbeddings <= 0)
        {
            throw new HfCheckpointException(
                $"{fields.SourceName}: field \"{fields.Path}\" needs factor > 0, 0 < low_freq_factor < high_freq_factor and original_max_position_embeddings > 0; found {result}.");
        }

        return result;
    }
}
