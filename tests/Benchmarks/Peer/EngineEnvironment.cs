using System.Runtime.InteropServices;

namespace Appliance.Benchmarks.Peer;

/// <summary>The environment both engines' processes run with.</summary>
internal static class EngineEnvironment
{
    /// <summary>
    /// ONNX Runtime 1.32 and GenAI 0.20 (the NuGet Linux builds) collect usage telemetry, a device id and an event
    /// queue under ~/.cache/Microsoft/DeveloperTools/.onnxruntime, for upload when online, unless this is set. Nothing
    /// may leave an offline appliance, and that work must not count in either engine's figures.
    /// </summary>
    public const string TelemetryOptOut = "ORT_DISABLE_TELEMETRY";

    /// <summary>Points the appliance at a library file of its choosing (see README "ONNX Runtime").</summary>
    public const string ApplianceOrtLibrary = "APPLIANCE_ORT_LIBRARY";

    /// <param name="baseDirectory">Where this program was built: GenAI loads the libonnxruntime.so of its runtimes folder.</param>
    /// <param name="inherited">Reads this process's environment.</param>
    public static IReadOnlyDictionary<string, string> Create(string baseDirectory, Func<string, string?> inherited)
    {
        ArgumentNullException.ThrowIfNull(inherited);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { [TelemetryOptOut] = "1" };
        if (string.IsNullOrEmpty(inherited(ApplianceOrtLibrary)))
        {
            // The very file GenAI loads, so both engines run the same ONNX Runtime build.
            environment[ApplianceOrtLibrary] = OrtLibraryBeside(baseDirectory);
        }

        return environment;
    }

    /// <summary>The libonnxruntime.so the Microsoft.ML.OnnxRuntime package copied into a build's output.</summary>
    public static string OrtLibraryBeside(string baseDirectory)
    {
        var architecture = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        return Path.Combine(baseDirectory, "runtimes", $"linux-{architecture}", "native", "libonnxruntime.so");
    }
}
