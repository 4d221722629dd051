namespace Appliance.Quantize.Quantization;

/// <summary>
/// The levels one block can take: weight ≈ (code - ZeroPoint) * Scale with code in 0..maxCode, the operators' dequantization
/// formula. The scale may be negative (symmetric grids put their extra code on the side of the larger extreme).
/// </summary>
internal readonly record struct BlockGrid(float Scale, int ZeroPoint)
{
    public float Reconstruct(int code) => (code - ZeroPoint) * Scale;

    /// <summary>Codes of <paramref name="values"/>: nearest level, clamped to the code range. A zero scale maps everything to the zero point.</summary>
    public void Encode(ReadOnlySpan<float> values, Span<byte> codes, int maxCode)
    {
        var inverse = Scale == 0 ? 0f : 1f / Scale;
        for (var i = 0; i < values.Length; i++)
        {
            codes[i] = (byte)Math.Clamp((int)MathF.Round(values[i] * inverse) + ZeroPoint, 0, maxCode);
        }
    }
}
