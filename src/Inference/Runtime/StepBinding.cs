using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Runtime;

/// <summary>
/// A session's <see cref="OrtIoBinding"/> with allocation-free binds of <see cref="NativeTensor"/>s under
/// <see cref="BoundName"/>s (through <see cref="OrtCApi"/>), for the inputs and outputs a decode step re-points.
/// </summary>
internal sealed unsafe class StepBinding : IDisposable
{
    private readonly OrtCApi _api = OrtLibrary.CApi;

    public StepBinding(InferenceSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Binding = session.CreateIoBinding();
    }

    /// <summary>The managed binding, for what the managed API does without allocating per step (running, device outputs).</summary>
    public OrtIoBinding Binding { get; }

    public void BindInput(BoundName name, NativeTensor tensor)
    {
        fixed (byte* utf8 = name.Bytes)
        {
            _api.BindInput(Binding.DangerousGetHandle(), utf8, tensor.Value);
        }
    }

    public void BindOutput(BoundName name, NativeTensor tensor)
    {
        fixed (byte* utf8 = name.Bytes)
        {
            _api.BindOutput(Binding.DangerousGetHandle(), utf8, tensor.Value);
        }
    }

    /// <summary>Lets ONNX Runtime allocate the output (its size is known only after the run); read it with GetOutputValues.</summary>
    public void BindOutputToCpu(BoundName name) => Binding.BindOutputToDevice(name.Value, OrtMemoryInfo.DefaultInstance);

    public void Dispose() => Binding.Dispose();
}
