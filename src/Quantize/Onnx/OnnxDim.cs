namespace Appliance.Quantize.Onnx;

/// <summary>One dimension of a graph input/output shape: a fixed size or a symbolic name such as "batch_size".</summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long? size, string? symbol)
    {
        Size = size;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or null when the dimension is symbolic.</summary>
    public long? Size { get; }

    /// <summary>The symbolic name, or null when the dimension is fixed.</summary>
    public string? Symbol { get; }

    public static OnnxDim Fixed(long v)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(v);
        return new OnnxDim(v, null);
    }

    public static OnnxDim Symbolic(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new OnnxDim(null, name);
    }

#pragma warning disable CA2225 // Fixed/Symbolic are the named alternates of these conversions.
    public static implicit operator OnnxDim(long v) => Fixed(v);

    public static implicit operator OnnxDim(string name) => Symbolic(name);
#pragma warning restore CA2225

    public override string ToString() => Symbol ?? Size?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?";
}
