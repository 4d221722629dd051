namespace Appliance.Inference.Native;

/// <summary>
/// Binds session inputs and outputs to tensors ahead of <see cref="InferenceSession.Run(IoBinding, RunOptions?)"/>, so a
/// decode step reuses the same buffers. Bound tensors must stay alive (not disposed) while runs use them.
/// </summary>
public sealed unsafe class IoBinding : IDisposable
{
    internal IoBinding(InferenceSession session)
    {
        var api = OrtLibrary.Api;
        nint binding;
        OrtStatus.Check(api.CreateIoBinding(session.Pointer, &binding));
        Handle = new OrtHandle(binding, api.ReleaseIoBinding);
    }

    internal OrtHandle Handle { get; }

    public void BindInput(Utf8Name name, OrtValue value)
    {
        fixed (byte* n = name.Bytes)
        {
            OrtStatus.Check(OrtLibrary.Api.BindInput(Handle.Pointer, n, value.Pointer));
        }

        GC.KeepAlive(value);
    }

    public void BindOutput(Utf8Name name, OrtValue value)
    {
        fixed (byte* n = name.Bytes)
        {
            OrtStatus.Check(OrtLibrary.Api.BindOutput(Handle.Pointer, n, value.Pointer));
        }

        GC.KeepAlive(value);
    }

    /// <summary>Lets ONNX Runtime allocate the output in CPU memory on each run; read it with <see cref="GetOutputValues"/>.</summary>
    public void BindOutputToCpu(Utf8Name name)
    {
        fixed (byte* n = name.Bytes)
        {
            OrtStatus.Check(OrtLibrary.Api.BindOutputToDevice(Handle.Pointer, n, OrtCpu.MemoryInfo));
        }
    }

    /// <summary>The outputs of the last run, in binding order; the caller owns (disposes) them.</summary>
    public OrtValue[] GetOutputValues()
    {
        var api = OrtLibrary.Api;
        nint* values;
        nuint count;
        OrtStatus.Check(api.GetBoundOutputValues(Handle.Pointer, OrtCpu.Allocator, &values, &count));
        if (count == 0)
        {
            return [];
        }

        var outputs = new OrtValue[count];
        for (nuint i = 0; i < count; i++)
        {
            outputs[i] = OrtValue.FromNative(values[i]);
        }

        OrtStatus.Check(api.AllocatorFree(OrtCpu.Allocator, values));
        return outputs;
    }

    public void ClearBoundInputs() => OrtLibrary.Api.ClearBoundInputs(Handle.Pointer);

    public void ClearBoundOutputs() => OrtLibrary.Api.ClearBoundOutputs(Handle.Pointer);

    public void Dispose() => Handle.Dispose();
}
