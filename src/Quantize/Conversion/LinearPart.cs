namespace Appliance.Quantize.Conversion;

/// <summary>One projection stacked into a shared MatMul operand: its checkpoint weight [out, in] and its output width.</summary>
internal readonly record struct LinearPart(string TensorName, int OutFeatures);
