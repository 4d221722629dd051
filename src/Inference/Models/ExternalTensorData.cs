namespace Appliance.Inference.Models;

/// <summary>Where an ONNX initializer stored outside the model file keeps its bytes.</summary>
/// <param name="TensorName">Initializer name.</param>
/// <param name="Location">Data file, relative to the model file's directory.</param>
/// <param name="Offset">First byte in the data file.</param>
/// <param name="Length">Byte count, or null when the model does not say.</param>
public sealed record ExternalTensorData(string TensorName, string Location, long Offset, long? Length);
