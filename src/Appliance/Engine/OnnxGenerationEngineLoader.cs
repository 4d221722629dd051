using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Runtime;
using Appliance.Replies;

namespace Appliance.Engine;

/// <summary>
/// Loads the model directory of <see cref="EngineOptions.ModelPath"/>: checks it (SHA-256 of every manifest file
/// unless turned off), loads ONNX Runtime, opens the decoder and reads the tokenizer and chat template. Runs on the
/// thread pool: hashing and session creation take seconds on a small board.
/// </summary>
public sealed class OnnxGenerationEngineLoader : IGenerationEngineLoader
{
    public Task<IGenerationEngine> LoadAsync(EngineOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid engine options: {string.Join("; ", problems)}.", nameof(options));
        }

        return Task.Run<IGenerationEngine>(() => Load(options), cancellationToken);
    }

    private static OnnxGenerationEngine Load(EngineOptions options)
    {
        var model = ModelDirectory.Open(options.ModelPath!, options.VerifyHashes);
        var chat = ChatPrompt.Load(model.Path);
        OrtLibrary.Configure(options.OrtLibrary);
        var generator = Generator.Open(model, new DecoderSessionOptions
        {
            IntraOpThreads = options.Threads,
            ExecutionProvider = options.ExecutionProviderOptions(),
        });
        return new OnnxGenerationEngine(model, generator, chat);
    }
}
