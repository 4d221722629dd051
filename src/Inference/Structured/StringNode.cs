namespace Appliance.Inference.Structured;

/// <summary>A string of MinChars to MaxChars code points (an escape counts as one).</summary>
internal sealed class StringNode : GrammarNode
{
    public int MinChars { get; init; }

    public int MaxChars { get; init; } = int.MaxValue;

    /// <summary>Whether frames count characters; unbounded strings do not, so their states stay equal.</summary>
    public bool CountsChars => MinChars > 0 || MaxChars != int.MaxValue;

    public override JsonKinds Kinds => JsonKinds.String;

    public override int ComputeMinLength() => MinChars > MaxChars ? Unreachable : Add(2, MinChars);
}
