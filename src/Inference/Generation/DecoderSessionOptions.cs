using Appliance.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Generation;

/// <summary>How the decoder's ONNX Runtime session is created and how much KV cache it preallocates.</summary>
public sealed record DecoderSessionOptions
{
    /// <summary>Threads inside one operator; 0 = genai_config's intra_op_num_threads, else ONNX Runtime's default.</summary>
    public int IntraOpThreads { get; init; }

    public GraphOptimizationLevel OptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Caps the sequence length (prompt + generated) and so the KV cache size; 0 = genai_config's max length.
    /// A 32k-context model would otherwise preallocate gigabytes of cache a small board does not have.
    /// </summary>
    public int MaxSequenceLength { get; init; }

    /// <summary>Largest <see cref="PrefixCacheSlots"/>: each slot is a whole KV cache.</summary>
    public const int MaxPrefixCacheSlots = 8;

    /// <summary>
    /// Prompts whose KV <see cref="Generator"/> keeps so a later prompt sharing a prefix prefills only the rest; each
    /// slot is one more KV cache of <see cref="MaxSequenceLength"/>. 0 = none (one cache, prefilled in full every time).
    /// </summary>
    public int PrefixCacheSlots { get; init; }

    /// <summary>When set, ONNX Runtime writes a JSON profile with this path prefix.</summary>
    public string? ProfilePathPrefix { get; init; }

    /// <summary>
    /// ONNX Runtime session configuration entries (keys as in onnxruntime_session_options_config_keys.h), e.g.
    /// "session.intra_op.allow_spinning" = "0" on a board whose cores are shared with other work. Applied last.
    /// </summary>
    public IReadOnlyDictionary<string, string> ConfigEntries { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Directory keeping ONNX Runtime's optimised graph with prepacked weights across restarts (see
    /// <see cref="Sessions.OptimizedModelCache"/>); null = none, the session is optimised and prepacked at every start. CPU only.
    /// </summary>
    public string? SessionCacheDirectory { get; init; }

    /// <summary>Where the operators run; CPU unless configured (a provider the library lacks is an error, never a fallback).</summary>
    public ExecutionProviderOptions ExecutionProvider { get; init; } = ExecutionProviderOptions.Cpu;
}
