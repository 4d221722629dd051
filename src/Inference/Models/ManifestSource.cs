namespace Appliance.Inference.Models;

/// <summary>Where the weights came from.</summary>
/// <param name="ModelId">Hugging Face id, e.g. "Qwen/Qwen2.5-0.5B-Instruct", when known.</param>
/// <param name="Architecture">HF architecture name, e.g. "Qwen2ForCausalLM".</param>
/// <param name="ConfigSha256">SHA-256 of the source checkpoint's config.json.</param>
/// <param name="License">The source model's license identifier, when known.</param>
public sealed record ManifestSource(string? ModelId, string Architecture, string ConfigSha256, string? License);
