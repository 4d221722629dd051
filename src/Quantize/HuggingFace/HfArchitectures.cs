namespace Appliance.Quantize.HuggingFace;

/// <summary>The per-architecture table: one <see cref="HfArchitectureProfile"/> per <see cref="HfArchitecture"/>.</summary>
public static class HfArchitectures
{
    private static readonly HfArchitectureProfile[] Profiles =
    [
        new(HfArchitecture.Llama, "LlamaForCausalLM", "llama", HardWiredQkvBias: false, OutputProjectionBias: true, QueryKeyNorm: false, SlidingWindowFields: false, DefaultMaxPositionEmbeddings: 2048),
        new(HfArchitecture.Qwen2, "Qwen2ForCausalLM", "qwen2", HardWiredQkvBias: true, OutputProjectionBias: false, QueryKeyNorm: false, SlidingWindowFields: true, DefaultMaxPositionEmbeddings: 32768),
        new(HfArchitecture.Qwen3, "Qwen3ForCausalLM", "qwen3", HardWiredQkvBias: false, OutputProjectionBias: true, QueryKeyNorm: true, SlidingWindowFields: true, DefaultMaxPositionEmbeddings: 32768),
    ];

    public static IReadOnlyList<HfArchitecture> All { get; } = [.. Profiles.Select(profile => profile.Architecture)];

    public static HfArchitectureProfile Profile(HfArchitecture architecture) =>
        Array.Find(Profiles, profile => profile.Architecture == architecture)
        ?? throw new ArgumentOutOfRangeException(nameof(architecture), architecture, null);

    /// <summary>The "architectures"[0] class name, e.g. LlamaForCausalLM.</summary>
    public static string ClassName(HfArchitecture architecture) => Profile(architecture).ClassName;

    /// <summary>The "model_type" value, e.g. llama (genai_config.json's model.type too).</summary>
    public static string ModelType(HfArchitecture architecture) => Profile(architecture).ModelType;

    public static bool TryFromClassName(string className, out HfArchitecture architecture)
    {
        var profile = Array.Find(Profiles, candidate => string.Equals(candidate.ClassName, className, StringComparison.Ordinal));
        architecture = profile?.Architecture ?? default;
        return profile is not null;
    }

    public static string SupportedClassNames => string.Join(", ", Profiles.Select(profile => profile.ClassName));
}
