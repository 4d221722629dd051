using System.CommandLine;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Native;

namespace Appliance.Cli;

/// <summary>The options every command that loads a model shares, and loading the model from them.</summary>
internal sealed class ModelOptions
{
    public Option<string> Model { get; } = new("--model")
    {
        Description = "Model directory (genai_config.json, model.onnx, model.onnx.data, manifest.json)",
        Required = true,
    };

    public Option<int> Threads { get; } = new("--threads")
    {
        Description = "ONNX Runtime intra-op threads (default: genai_config's session options, else ONNX Runtime's choice)",
    };

    public Option<string?> OrtLibrary { get; } = new("--ort-library")
    {
        Description = $"Path of libonnxruntime.so.1 (default: ${OrtLibraryResolver.EnvironmentVariable}, next to the executable, the repository cache)",
    };

    public Option<bool> NoVerify { get; } = new("--no-verify")
    {
        Description = "Skip the SHA-256 check of the files manifest.json lists (their sizes are still checked)",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Model);
        command.Options.Add(Threads);
        command.Options.Add(OrtLibrary);
        command.Options.Add(NoVerify);
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

    /// <summary>Checks the model directory, loads ONNX Runtime and creates the generator.</summary>
    public LoadedModel Load(ParseResult parse, int? threads, string? profilePathPrefix = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var model = ModelDirectory.Open(parse.GetValue(Model)!, verifyHashes: !parse.GetValue(NoVerify));
        Inference.Native.OrtLibrary.Configure(parse.GetValue(OrtLibrary));
        var environment = OrtEnvironment.Create(OrtLoggingLevel.Error, "appliance-cli");
        try
        {
            var generator = Generator.Open(model, environment, new DecoderSessionOptions { IntraOpThreads = threads ?? 0, ProfilePathPrefix = profilePathPrefix });
            return new LoadedModel(model, environment, generator);
        }
        catch
        {
            environment.Dispose();
            throw;
        }
    }
}
