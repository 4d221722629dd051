namespace Appliance.Engine;

/// <summary>Which model the service runs and how (configuration section <see cref="SectionName"/>).</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>The model directory (genai_config.json, model.onnx, tokenizer.json, manifest.json). Required.</summary>
    public string? ModelPath { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 = the model's session options, else ONNX Runtime's choice.</summary>
    public int Threads { get; set; }

    /// <summary>Path of libonnxruntime.so.1; null = the usual resolution (environment, next to the executable, cache).</summary>
    public string? OrtLibrary { get; set; }

    /// <summary>Check the SHA-256 of every file manifest.json lists before loading.</summary>
    public bool VerifyHashes { get; set; } = true;

    /// <summary>One message per problem, naming the option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            problems.Add($"no model: pass --model DIR (or set {SectionName}:ModelPath)");
        }
        else if (!Directory.Exists(ModelPath))
        {
            problems.Add($"{SectionName}:ModelPath '{ModelPath}' is not a directory");
        }

        if (Threads < 0)
        {
            problems.Add($"{SectionName}:Threads must be ≥ 0, got {Threads}");
        }

        if (OrtLibrary is not null && !File.Exists(OrtLibrary))
        {
            problems.Add($"{SectionName}:OrtLibrary '{OrtLibrary}' does not exist");
        }

        return problems;
    }
}
