namespace Appliance.Inference.Structured;

/// <summary>An array of MinItems to MaxItems values of Items.</summary>
internal sealed class ArrayNode : GrammarNode
{
    public GrammarNode Items { get; set; } = null!;

    public int MinItems { get; init; }

    public int MaxItems { get; init; } = int.MaxValue;

    /// <summary>Whether frames count items; unbounded arrays do not, so their states stay equal.</summary>
    public bool CountsItems => MinItems > 0 || MaxItems != int.MaxValue;

    public override JsonKinds Kinds => JsonKinds.Array;

    /// <summary>Fewest bytes to close the array with <paramref name="count"/> items written and a comma or '[' last.</summary>
    public int AfterSeparator(int count) =>
        Add(Add(Items.MinLength, Times(Math.Max(0, MinItems - count - 1), Add(Items.MinLength, 1))), 1);

    /// <summary>Fewest bytes to close the array with <paramref name="count"/> items written and an item last.</summary>
    public int AfterItem(int count) => Add(Times(Math.Max(0, MinItems - count), Add(Items.MinLength, 1)), 1);

    /// <summary>Fewest bytes to close the array right after '['.</summary>
    public int AfterOpen() => MinItems == 0 ? 1 : AfterSeparator(0);

    public override int ComputeMinLength() => MinItems > MaxItems ? Unreachable : Add(1, AfterOpen());
}
