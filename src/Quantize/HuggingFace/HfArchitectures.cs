namespace Appliance.Quantize.HuggingFace;

/// <summary>Maps <see cref="HfArchitecture"/> to the names config.json uses for it.</summary>
public static class HfArchitectures
{
    public static IReadOnlyList<HfArchitecture> All { get; } = [HfArchitecture.Llama, HfArchitecture.Qwen2, HfArchitecture.Qwen3];

    /// <summary>The "architectures"[0] class name, e.g. LlamaForCausalLM.</summary>
    public static string ClassName(HfArchitecture architecture) => architecture switch
    {
        HfArchitecture.Llama => "LlamaForCausalLM",
        HfArchitecture.Qwen2 => "Qwen2ForCausalLM",
        HfArchitecture.Qwen3 => "Qwen3ForCausalLM",
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, null),
    };

    /// <summary>The "model_type" value, e.g. llama.</summary>
    public static string ModelType(HfArchitecture architecture) => architecture switch
    {
        HfArchitecture.Llama => "llama",
        HfArchitecture.Qwen2 => "qwen2",
        HfArchitecture.Qwen3 => "qwen3",
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, null),
    };

    public static bool TryFromClassName(string className, out HfArchitecture architecture)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(ClassName(candidate), className, StringComparison.Ordinal))
            {
                architecture = candidate;
                return true;
            }
        }

        architecture = default;
        return false;
    }

    public static string SupportedClassNames => string.Join(", ", All.Select(ClassName));
}
