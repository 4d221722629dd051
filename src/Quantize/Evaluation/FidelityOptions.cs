namespace Appliance.Quantize.Evaluation;

/// <summary>What `quantize eval` compares and on what.</summary>
/// <param name="ReferenceDirectory">The float model directory (its tokenizer tokenizes the text).</param>
/// <param name="CandidateDirectory">The quantized model directory.</param>
/// <param name="TextPath">UTF-8 text to score.</param>
/// <param name="Positions">Positions to score; null = as many as the text gives.</param>
/// <param name="Window">Tokens per window (capped by both models' context); the second half of each is scored.</param>
/// <param name="Threads">ONNX Runtime intra-op threads per model; 0 = ONNX Runtime's choice.</param>
internal sealed record FidelityOptions(
    string ReferenceDirectory, string CandidateDirectory, string TextPath, int? Positions = null, int Window = FidelityOptions.DefaultWindow, int Threads = 0)
{
    public const int DefaultWindow = 512;
}
