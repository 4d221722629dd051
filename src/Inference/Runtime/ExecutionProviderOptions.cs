namespace Appliance.Inference.Runtime;

/// <summary>The execution provider a session asks for and the options common to the GPU providers.</summary>
public sealed record ExecutionProviderOptions
{
    public static ExecutionProviderOptions Cpu { get; } = new();

    public ExecutionProviderKind Kind { get; init; } = ExecutionProviderKind.Cpu;

    /// <summary>The GPU's CUDA device number (CUDA and TensorRT).</summary>
    public int DeviceId { get; init; }

    /// <summary>TensorRT only: directory where built engines are kept, so a restart does not rebuild them (minutes on a Jetson).</summary>
    public string? TensorRtEngineCachePath { get; init; }

    /// <summary>TensorRT only: let TensorRT run layers in float16.</summary>
    public bool TensorRtFp16 { get; init; }
}
