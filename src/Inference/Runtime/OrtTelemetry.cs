using System.Runtime.InteropServices;

namespace Appliance.Inference.Runtime;

/// <summary>
/// ONNX Runtime's NuGet builds for Linux keep usage telemetry for Microsoft: a device id and an event queue under
/// ~/.cache/Microsoft/DeveloperTools/.onnxruntime. An offline appliance collects none. The library reads
/// ORT_DISABLE_TELEMETRY with getenv when it initialises, so it must be in the native environment before the load
/// (.NET's Environment.SetEnvironmentVariable keeps its own copy that native code never sees).
/// </summary>
internal static partial class OrtTelemetry
{
    public const string Variable = "ORT_DISABLE_TELEMETRY";

    public static void DisableBeforeLoad()
    {
        if (SetEnvironment(Variable, "1", overwrite: 1) != 0)
        {
            throw new InvalidOperationException($"Could not set {Variable}=1 before loading ONNX Runtime (setenv failed: errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetEnvironment(string name, string value, int overwrite);
}
