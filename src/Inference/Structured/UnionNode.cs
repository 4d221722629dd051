namespace Appliance.Inference.Structured;

/// <summary>anyOf, a list of types, a $ref: any of the alternatives. The matcher follows every one that still fits.</summary>
internal sealed class UnionNode : GrammarNode
{
    public GrammarNode[] Alternatives { get; set; } = [];

    public override JsonKinds Kinds
    {
        get
        {
            var kinds = JsonKinds.None;
            foreach (var alternative in Alternatives)
            {
                kinds |= alternative is UnionNode ? JsonKinds.All : alternative.Kinds;
            }

            return kinds;
        }
    }

    public override int ComputeMinLength()
    {
        var min = Unreachable;
        foreach (var alternative in Alternatives)
        {
            min = Math.Min(min, alternative.MinLength);
        }

        return min;
    }
}
