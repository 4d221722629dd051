namespace Appliance.Inference.Structured;

/// <summary>enum, const, true/false/null: one of a fixed set of values, each in canonical compact JSON.</summary>
internal sealed class LiteralNode : GrammarNode
{
    public LiteralNode(IReadOnlyList<byte[]> values)
    {
        Values = values;
        Trie = new ByteTrie(values);
        foreach (var value in values)
        {
            LiteralKinds |= CanonicalJson.KindOf(value);
        }
    }

    public IReadOnlyList<byte[]> Values { get; }

    public ByteTrie Trie { get; }

    public override JsonKinds Kinds => LiteralKinds;

    private JsonKinds LiteralKinds { get; }

    public override int ComputeMinLength() => Values.Count == 0 ? Unreachable : Trie.MinToEnd(0);
}
