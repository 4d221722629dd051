namespace Appliance.Inference.Runtime;

/// <summary>Where ONNX Runtime runs the model's operators (configuration value: cpu, cuda or tensorrt).</summary>
public enum ExecutionProviderKind
{
    Cpu,
    Cuda,
    TensorRt,
}
