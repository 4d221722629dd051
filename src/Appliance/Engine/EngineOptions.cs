using Appliance.Inference.Generation;
using Appliance.Inference.Runtime;

namespace Appliance.Engine;

/// <summary>Which model the service runs and how (configuration section <see cref="SectionName"/>).</summary>
public sealed class EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>The model directory (genai_config.json, model.onnx, tokenizer.json, manifest.json). Required.</summary>
    public string? ModelPath { get; set; }

    /// <summary>ONNX Runtime intra-op threads; 0 = the model's session options, else ONNX Runtime's choice.</summary>
    public int Threads { get; set; }

    /// <summary>Path of libonnxruntime.so; null = the usual resolution (environment, next to the executable).</summary>
    public string? OrtLibrary { get; set; }

    /// <summary>Where ONNX Runtime runs the model: cpu (default), cuda or tensorrt. A provider the library lacks is an error.</summary>
    public ExecutionProviderKind ExecutionProvider { get; set; } = ExecutionProviderKind.Cpu;

    /// <summary>CUDA device number for the cuda and tensorrt providers.</summary>
    public int GpuDeviceId { get; set; }

    /// <summary>tensorrt only: directory keeping built TensorRT engines across restarts (none: rebuilt at every start).</summary>
    public string? TensorRtEngineCache { get; set; }

    /// <summary>tensorrt only: allow float16 layers.</summary>
    public bool TensorRtFp16 { get; set; }

    /// <summary>
    /// Prompts whose KV cache is kept so a request sharing a prefix with one (a fixed system prompt) prefills only the
    /// rest; least recently used evicted. Each slot is one more whole-context KV cache; 0 = no reuse.
    /// </summary>
    public int PrefixCacheSlots { get; set; } = 1;

    /// <summary>Check the SHA-256 of every file manifest.json lists before loading.</summary>
    public bool VerifyHashes { get; set; } = true;

    /// <summary>
    /// Directory keeping ONNX Runtime's optimised graph with its prepacked weights across restarts, so a start skips
    /// prepacking; each entry is hash-checked at load and rebuilt when corrupt. null = none. CPU provider only.
    /// </summary>
    public string? SessionCache { get; set; }

    /// <summary>The provider settings as the decoder session takes them.</summary>
    public ExecutionProviderOptions ExecutionProviderOptions() => new()
    {
        Kind = ExecutionProvider,
        DeviceId = GpuDeviceId,
        TensorRtEngineCachePath = TensorRtEngineCache,
        TensorRtFp16 = TensorRtFp16,
    };

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

        if (PrefixCacheSlots is < 0 or > DecoderSessionOptions.MaxPrefixCacheSlots)
        {
            problems.Add($"{SectionName}:PrefixCacheSlots must be in [0, {DecoderSessionOptions.MaxPrefixCacheSlots}] (each slot is a whole KV cache), got {PrefixCacheSlots}");
        }

        if (GpuDeviceId < 0)
        {
            problems.Add($"{SectionName}:GpuDeviceId must be ≥ 0, got {GpuDeviceId}");
        }

        if (ExecutionProvider != ExecutionProviderKind.TensorRt && (TensorRtEngineCache is not null || TensorRtFp16))
        {
            problems.Add($"{SectionName}:TensorRtEngineCache and {SectionName}:TensorRtFp16 apply only with {SectionName}:ExecutionProvider tensorrt, which is {ExecutionProvider.ToString().ToLowerInvariant()}");
        }

        return problems;
    }
}
