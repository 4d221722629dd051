namespace Appliance.Benchmarks;

/// <summary>Time one kind of operator (or the framework between kernels) took per decode step.</summary>
/// <param name="Operator">ONNX Runtime's op name, e.g. MatMulNBits, or <see cref="OrtProfileSummary.OutsideKernels"/>.</param>
/// <param name="MillisecondsPerToken">Mean per decode step.</param>
/// <param name="Share">Fraction of the decode steps' total time.</param>
internal sealed record OperatorTime(string Operator, double MillisecondsPerToken, double Share);
