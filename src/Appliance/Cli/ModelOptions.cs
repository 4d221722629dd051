using Appliance.Engine;
using Appliance.Inference.Runtime;
using System.CommandLine;

namespace Appliance.Cli;

/// <summary>The options every command that loads a model shares, and loading the model from them.</summary>
internal sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model")
    {
        HelpName = "DIR",
        Description = "Model directory (genai_config.json, model.onnx, model.onnx.data, manifest.json)",
        Required = true,
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "ONNX Runtime intra-op threads (default: genai_config's session options, else ONNX Runtime's choice)",
    };

    public Option<string?> OrtLibrary { get; } = new("--ort-library")
    {
        HelpName = "FILE",
        Description = $"Path of libonnxruntime.so (default: ${OrtLibraryResolver.EnvironmentVariable}, else the one beside the executable)",
    };

    public Option<ExecutionProviderKind> ExecutionProvider { get; } = new("--execution-provider")
    {
        HelpName = "cpu|cuda|tensorrt",
        Description = "Where ONNX Runtime runs the model: cpu, cuda or tensorrt (default cpu)",
    };

    public Option<int> GpuDeviceId { get; } = new("--gpu-device-id")
    {
        Description = "CUDA device for cuda and tensorrt (default 0)",
    };

    public Option<bool> NoVerify { get; } = new("--no-verify")
    {
        Description = "Skip the SHA-256 check of the files manifest.json lists (their sizes are still checked)",
    };

    public Option<string?> SessionCache { get; } = new("--session-cache")
    {
        HelpName = "DIR",
        Description = "Keep ONNX Runtime's optimised graph and prepacked weights here across runs (verified at every load; default: none)",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Model);
        command.Options.Add(Threads);
        command.Options.Add(OrtLibrary);
        command.Options.Add(ExecutionProvider);
        command.Options.Add(GpuDeviceId);
        command.Options.Add(NoVerify);
        command.Options.Add(SessionCache);
    }

    /// <summary>The --threads value, or null when not given; negative values are a usage error.</summary>
    public int? RequestedThreads(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var threads = parse.GetValue(Threads);
        return threads switch
        {
            < 0 => throw new UsageException($"--threads must be 0 or more, got {threads}."),
            0 => null,
            _ => threads,
        };
    }

    /// <summary>The model alone (no tokenizer needed), loaded as the service loads it.</summary>
    public LoadedModel Load(ParseResult parse, int? threads, string? profilePathPrefix = null, IReadOnlyDictionary<string, string>? sessionConfig = null) =>
        OnnxGenerationEngineLoader.LoadModel(ToEngineOptions(parse, threads), profilePathPrefix, sessionConfig);

    /// <summary>The engine the service would run for these options: model, tokenizer and chat template.</summary>
    public OnnxGenerationEngine LoadEngine(ParseResult parse) =>
        OnnxGenerationEngineLoader.Load(ToEngineOptions(parse, RequestedThreads(parse)));

    private EngineOptions ToEngineOptions(ParseResult parse, int? threads)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new EngineOptions
        {
            ModelPath = parse.GetValue(Model),
            Threads = threads ?? 0,
            OrtLibrary = parse.GetValue(OrtLibrary),
            ExecutionProvider = parse.GetValue(ExecutionProvider),
            GpuDeviceId = parse.GetValue(GpuDeviceId),
            VerifyHashes = !parse.GetValue(NoVerify),
            SessionCache = parse.GetValue(SessionCache),
        };
    }
}
