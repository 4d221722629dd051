using System.Diagnostics.CodeAnalysis;

namespace Appliance.Quantize.Quantization;

/// <summary>
/// The float type block scales are stored in. It must be the graph's float type: MatMulNBits takes scales of A's type,
/// GatherBlockQuantized of its output's type.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members name the stored float formats.")]
public enum ScalePrecision
{
    Float32,
    Float16,
}
