using System.Globalization;
using System.Reflection;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Appliance.Benchmarks.Peer;

/// <summary>Opens a model directory in ONNX Runtime GenAI, as it is on disk, with a chosen intra-op thread count.</summary>
internal static class GenAiModels
{
    /// <summary>The Microsoft.ML.OnnxRuntimeGenAI package version this program was built against.</summary>
    public static string PackageVersion { get; } = typeof(GenAiModels).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "OnnxRuntimeGenAIVersion").Value ?? "unknown";

    /// <summary>
    /// GenAI takes its thread count from genai_config.json's decoder session_options; an overlay sets it for this
    /// process only, so the directory itself loads unchanged.
    /// </summary>
    public static Model Open(string directory, int intraOpThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(intraOpThreads);
        using var config = new Config(directory);
        config.Overlay(ThreadsOverlay(intraOpThreads));
        return new Model(config);
    }

    internal static string ThreadsOverlay(int intraOpThreads) =>
        """{"model":{"decoder":{"session_options":{"intra_op_num_threads":""" + intraOpThreads.ToString(CultureInfo.InvariantCulture) + "}}}}";
}
