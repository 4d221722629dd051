namespace Appliance.Inference.Structured;

/// <summary>One compiled schema: what values it admits, as the matcher walks them byte by byte.</summary>
internal abstract class GrammarNode
{
    /// <summary>Stands for "no value fits": the node admits nothing.</summary>
    public const int Unreachable = int.MaxValue / 4;

    /// <summary>The node's position in its grammar; what matcher frames refer to it by.</summary>
    public int Index { get; set; } = -1;

    /// <summary>Bytes of the shortest value this node admits (compact JSON), or <see cref="Unreachable"/>.</summary>
    public int MinLength { get; set; } = Unreachable;

    /// <summary>The JSON types this node may produce.</summary>
    public abstract JsonKinds Kinds { get; }

    /// <summary>The shortest value's length from the current lengths of the nodes it refers to.</summary>
    public abstract int ComputeMinLength();

    /// <summary>Adds two lengths, saturating at <see cref="Unreachable"/>.</summary>
    public static int Add(int a, int b) => a >= Unreachable || b >= Unreachable ? Unreachable : Math.Min(a + b, Unreachable);

    /// <summary>Multiplies a length by a count, saturating at <see cref="Unreachable"/>.</summary>
    public static int Times(int count, int length) =>
        count == 0 ? 0 : length >= Unreachable ? Unreachable : (int)Math.Min((long)count * length, Unreachable);
}

/// <summary>The JSON value types; integer is the part of number without a fraction.</summary>
[Flags]
internal enum JsonKinds
{
    None = 0,
    Null = 1,
    Boolean = 2,
    Object = 4,
    Array = 8,
    String = 16,
    Integer = 32,
    Fraction = 64,
    Number = Integer | Fraction,
    All = Null | Boolean | Object | Array | String | Number,
}
