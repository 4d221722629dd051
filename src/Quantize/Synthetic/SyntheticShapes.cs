using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Synthetic;

/// <summary>The shapes `quantize synth --shape` knows: tiny ones for tests, two at real small-model scale.</summary>
public static class SyntheticShapes
{
    public const int TinyVocabSize = 512;

    public static SyntheticShape TinyLlama { get; } = new(
        "tiny-llama",
        "Llama, GQA 2, untied embeddings, llama3 rope scaling, 2048 positions (run.sh's demo model: room for real prompts and replies)",
        Config(HfArchitecture.Llama, hidden: 64, ffn: 160, layers: 2, heads: 4, kvHeads: 2, headDim: 16, vocab: TinyVocabSize,
            eps: 1e-5, theta: 500000, scaling: new RopeScaling(RopeScaling.Llama3Type, 8, 1, 4, 64), tied: false, maxPositions: 2048));

    public static SyntheticShape TinyQwen2 { get; } = new(
        "tiny-qwen2",
        "Qwen2, q/k/v bias, tied embeddings",
        Config(HfArchitecture.Qwen2, hidden: 64, ffn: 160, layers: 2, heads: 4, kvHeads: 4, headDim: 16, vocab: TinyVocabSize,
            eps: 1e-6, theta: 1e6, scaling: null, tied: true, maxPositions: 256));

    public static SyntheticShape TinyQwen3 { get; } = new(
        "tiny-qwen3",
        "Qwen3, GQA 3, head_dim 32 (not hidden/heads), q/k norms, tied embeddings",
        Config(HfArchitecture.Qwen3, hidden: 96, ffn: 192, layers: 3, heads: 6, kvHeads: 2, headDim: 32, vocab: TinyVocabSize,
            eps: 1e-6, theta: 1e6, scaling: null, tied: true, maxPositions: 256));

    /// <summary>The geometry of a 135M-parameter Llama (SmolLM-135M-like), with a GPT-2-sized vocabulary.</summary>
    public static SyntheticShape S135 { get; } = new(
        "s135",
        "Llama at 135M-parameter scale",
        Config(HfArchitecture.Llama, hidden: 576, ffn: 1536, layers: 30, heads: 9, kvHeads: 3, headDim: 64, vocab: 50257,
            eps: 1e-5, theta: 10000, scaling: null, tied: true, maxPositions: 2048));

    /// <summary>The geometry of a 0.5B-parameter Qwen2 (Qwen2.5-0.5B-like), with a GPT-2-sized vocabulary.</summary>
    public static SyntheticShape M500 { get; } = new(
        "m500",
        "Qwen2 at 0.5B-parameter scale",
        Config(HfArchitecture.Qwen2, hidden: 896, ffn: 4864, layers: 24, heads: 14, kvHeads: 2, headDim: 64, vocab: 50257,
            eps: 1e-6, theta: 1e6, scaling: null, tied: true, maxPositions: 4096));

    public static IReadOnlyList<SyntheticShape> All { get; } = [TinyLlama, TinyQwen2, TinyQwen3, S135, M500];

    public static SyntheticShape Get(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentException(
            $"Unknown synthetic shape \"{name}\"; known: {string.Join(", ", All.Select(s => s.Name))}.", nameof(name));

    private static HfModelConfig Config(
        HfArchitecture architecture, int hidden, int ffn, int layers, int heads, int kvHeads, int headDim, int vocab,
        double eps, double theta, RopeScaling? scaling, bool tied, int maxPositions) =>
        new(architecture, HfArchitectures.Profile(architecture).ClassName, hidden, ffn, layers, heads, kvHeads, headDim, vocab,
            eps, theta, scaling, tied, AttentionBias: HfArchitectures.Profile(architecture).HardWiredQkvBias, maxPositions,
            BosTokenId: null, EosTokenIds: [], PadTokenId: null, TorchDtype: null);
}
