using System.Globalization;

namespace Appliance.Quantize.Quantization;

/// <summary>What <see cref="BlockQuantizer"/> produces: bit width, block length along a row, zero points or not, method, scale type.</summary>
public sealed record BlockQuantizationOptions
{
    public const int MinBlockSize = 16;

    /// <summary>The largest block MLAS's blocked int4/int8 kernels accept; larger blocks would fall back to slow paths.</summary>
    public const int MaxBlockSize = 256;

    /// <summary>4 or 8: the widths both MatMulNBits and GatherBlockQuantized run on the CPU.</summary>
    public int Bits { get; init; } = 4;

    /// <summary>Weights per block along a row (the K axis of MatMulNBits, the hidden axis of an embedding): a power of two, 16..256.</summary>
    public int BlockSize { get; init; } = 32;

    /// <summary>
    /// True: no zero points are stored and the operators' default zero point 2^(bits-1) applies. False: one zero point per block
    /// (packed like the codes), which fits blocks whose weights are not centred on zero.
    /// </summary>
    public bool Symmetric { get; init; }

    public QuantizationMethod Method { get; init; } = QuantizationMethod.RoundToNearest;

    public ScalePrecision ScalePrecision { get; init; } = ScalePrecision.Float32;

    /// <summary>Largest code, 2^bits - 1.</summary>
    public int MaxCode => (1 << Bits) - 1;

    /// <summary>The zero point the operators assume when none is stored: 2^(bits-1) (8 for 4-bit, 128 for 8-bit).</summary>
    public int DefaultZeroPoint => 1 << (Bits - 1);

    /// <summary>A short description for reports and the manifest recipe, e.g. "int4 block 32 asymmetric rtn float32-scales".</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"int{Bits} block {BlockSize} {(Symmetric ? "symmetric" : "asymmetric")} {(Method == QuantizationMethod.HalfQuadratic ? "hqq" : "rtn")} {(ScalePrecision == ScalePrecision.Float16 ? "float16" : "float32")}-scales");

    /// <summary>Throws <see cref="ArgumentException"/> naming the setting and its value when the operators could not run the result.</summary>
    public void Validate()
    {
        if (Bits is not (4 or 8))
        {
            throw new ArgumentException($"Bits must be 4 or 8 (the widths MatMulNBits and GatherBlockQuantized run on the CPU), got {Bits}.", nameof(Bits));
        }

        if (BlockSize is < MinBlockSize or > MaxBlockSize || (BlockSize & (BlockSize - 1)) != 0)
        {
            throw new ArgumentException($"BlockSize must be a power of two from {MinBlockSize} to {MaxBlockSize}, got {BlockSize}.", nameof(BlockSize));
        }

        if (!Enum.IsDefined(Method))
        {
            throw new ArgumentException($"Unknown quantization method {(int)Method}.", nameof(Method));
        }

        if (!Enum.IsDefined(ScalePrecision))
        {
            throw new ArgumentException($"Unknown scale precision {(int)ScalePrecision}.", nameof(ScalePrecision));
        }
    }
}
