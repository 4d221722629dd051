namespace Appliance.Inference.Native;

/// <summary>ONNX Runtime's OrtEnv: logging and the shared state every session needs. Create one per process.</summary>
public sealed unsafe class OrtEnvironment : IDisposable
{
    private OrtEnvironment(OrtHandle handle) => Handle = handle;

    internal OrtHandle Handle { get; }

    public static OrtEnvironment Create(OrtLoggingLevel level = OrtLoggingLevel.Warning, string logId = "appliance")
    {
        var api = OrtLibrary.Api;
        nint env;
        fixed (byte* id = Utf8Name.NulTerminated(logId))
        {
            OrtStatus.Check(api.CreateEnv(level, id, &env));
        }

        return new OrtEnvironment(new OrtHandle(env, api.ReleaseEnv));
    }

    public void Dispose() => Handle.Dispose();
}
