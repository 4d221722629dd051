namespace Appliance.Inference.Native;

/// <summary>Per-run options; <see cref="Terminate"/> makes every run using them stop as soon as possible.</summary>
public sealed unsafe class RunOptions : IDisposable
{
    private string? _tag;

    public RunOptions()
    {
        var api = OrtLibrary.Api;
        nint options;
        OrtStatus.Check(api.CreateRunOptions(&options));
        Handle = new OrtHandle(options, api.ReleaseRunOptions);
    }

    /// <summary>Tag shown in ONNX Runtime's logs for runs with these options.</summary>
    public string? Tag
    {
        get => _tag;
        set
        {
            fixed (byte* tag = Utf8Name.NulTerminated(value ?? string.Empty))
            {
                OrtStatus.Check(OrtLibrary.Api.RunOptionsSetRunTag(Handle.Pointer, tag));
            }

            _tag = value;
        }
    }

    internal OrtHandle Handle { get; }

    /// <summary>Asks running and future runs with these options to stop; they fail with an <see cref="OrtException"/>. Thread-safe.</summary>
    public void Terminate() => OrtStatus.Check(OrtLibrary.Api.RunOptionsSetTerminate(Handle.Pointer));

    /// <summary>Clears the terminate flag so the options can be used again.</summary>
    public void ResetTerminate() => OrtStatus.Check(OrtLibrary.Api.RunOptionsUnsetTerminate(Handle.Pointer));

    public void Dispose() => Handle.Dispose();
}
