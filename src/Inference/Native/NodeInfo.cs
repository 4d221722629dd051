namespace Appliance.Inference.Native;

/// <summary>A graph input or output: name, element type and shape (-1 = dynamic, with its symbolic name when it has one).</summary>
public sealed record NodeInfo(string Name, TensorElementType ElementType, long[] Shape, string?[] SymbolicDims);
