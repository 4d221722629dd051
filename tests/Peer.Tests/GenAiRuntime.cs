using System.Runtime.InteropServices;
using Appliance.Benchmarks.Peer;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Appliance.Peer.Tests;

/// <summary>
/// GenAI's lifetime in the test process. GenAI aborts the process at exit unless it was shut down (disposing the
/// <see cref="OgaHandle"/>) after its last object, so one handle spans all GenAI tests. Telemetry is switched off
/// before GenAI loads ONNX Runtime.
/// </summary>
public sealed partial class GenAiRuntime : IDisposable
{
    private readonly OgaHandle _handle;

    public GenAiRuntime()
    {
        // ONNX Runtime reads it with getenv; Environment.SetEnvironmentVariable does not reach the native environment.
        if (SetNativeEnvironment(EngineEnvironment.TelemetryOptOut, "1", overwrite: 1) != 0)
        {
            throw new InvalidOperationException($"setenv {EngineEnvironment.TelemetryOptOut} failed");
        }

        _handle = new OgaHandle();
    }

    public void Dispose() => _handle.Dispose();

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNativeEnvironment(string name, string value, int overwrite);
}
