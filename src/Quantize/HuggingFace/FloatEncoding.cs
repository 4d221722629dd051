using System.Buffers.Binary;

namespace Appliance.Quantize.HuggingFace;

/// <summary>Little-endian float32 / float16 / bfloat16 encoding, round-to-nearest-even when narrowing.</summary>
internal static class FloatEncoding
{
    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    public static ushort SingleToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            // Keep NaN a NaN: truncation could clear every mantissa bit that survives and yield infinity.
            return (ushort)((bits >> 16) | 0x0040);
        }

        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }

    /// <summary>Decodes <paramref name="source"/> (destination.Length elements of <paramref name="dtype"/>).</summary>
    public static void Decode(SafeTensorDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case SafeTensorDType.F32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                }

                break;
            case SafeTensorDType.F16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(i * 2)..]);
                }

                break;
            case SafeTensorDType.BF16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null);
        }
    }

    /// <summary>Encodes <paramref name="source"/> into destination (source.Length elements of <paramref name="dtype"/>).</summary>
    public static void Encode(SafeTensorDType dtype, ReadOnlySpan<float> source, Span<byte> destination)
    {
        switch (dtype)
        {
            case SafeTensorDType.F32:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination[(i * 4)..], source[i]);
                }

                break;
            case SafeTensorDType.F16:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(destination[(i * 2)..], (Half)source[i]);
                }

                break;
            case SafeTensorDType.BF16:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[(i * 2)..], SingleToBFloat16(source[i]));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null);
        }
    }
}
