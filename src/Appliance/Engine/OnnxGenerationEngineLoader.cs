using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Runtime;

namespace Appliance.Engine;

/// <summary>
/// Loads the model directory of <see cref="EngineOptions.ModelPath"/>: checks it (SHA-256 of every manifest file
/// unless turned off, computed while the session is built: <see cref="VerifyingLoader"/>), loads ONNX Runtime, opens
/// the decoder and reads the tokenizer and chat template. Runs on the thread pool: hashing and session creation take
/// seconds on a small board. The CLI loads through the same methods.
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

    /// <summary>The engine, on the calling thread (the CLI, whose options are checked as it parses them).</summary>
    internal static OnnxGenerationEngine Load(EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return VerifyingLoader.Load(options.ModelPath!, options.VerifyHashes, model =>
        {
            // The tokenizer (a few MB of JSON: ~0.1 s) is read while ONNX Runtime builds the session: both are on the
            // path from exec to the first token, and the session does not need it.
            var chatLoad = Task.Run(() => ChatPrompt.Load(model.Path));
            Generator generator;
            try
            {
                generator = OpenGenerator(model, options, options.PrefixCacheSlots, profilePathPrefix: null);
            }
            catch
            {
                // The session's error is the one reported; the tokenizer's (if any) is observed and dropped.
                _ = chatLoad.ContinueWith(static load => load.Exception, TaskScheduler.Default);
                throw;
            }

            try
            {
                return new OnnxGenerationEngine(new LoadedModel(model, generator), chatLoad.GetAwaiter().GetResult());
            }
            catch
            {
                generator.Dispose();
                throw;
            }
        });
    }

    /// <summary>
    /// The model without tokenizer or chat template, for work on raw token ids (`generate --token-ids`, `bench`). It
    /// keeps no prompt prefixes: bench repeats one prompt and must measure its whole prefill every time.
    /// </summary>
    /// <param name="profilePathPrefix">Where ONNX Runtime writes its per-operator profile; null = no profiling.</param>
    /// <param name="sessionConfig">Extra ONNX Runtime session config entries (`bench --session-config`); null = none.</param>
    internal static LoadedModel LoadModel(EngineOptions options, string? profilePathPrefix = null, IReadOnlyDictionary<string, string>? sessionConfig = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return VerifyingLoader.Load(
            options.ModelPath!,
            options.VerifyHashes,
            model => new LoadedModel(model, OpenGenerator(model, options, prefixCacheSlots: 0, profilePathPrefix, sessionConfig)));
    }

    private static Generator OpenGenerator(ModelDirectory model, EngineOptions options, int prefixCacheSlots, string? profilePathPrefix, IReadOnlyDictionary<string, string>? sessionConfig = null)
    {
        OrtLibrary.Configure(options.OrtLibrary);
        return Generator.Open(model, new DecoderSessionOptions
        {
            IntraOpThreads = options.Threads,
            ProfilePathPrefix = profilePathPrefix,
            ExecutionProvider = options.ExecutionProviderOptions(),
            PrefixCacheSlots = prefixCacheSlots,
            SessionCacheDirectory = options.SessionCache,
            ConfigEntries = sessionConfig ?? new Dictionary<string, string>(),
        });
    }
}
