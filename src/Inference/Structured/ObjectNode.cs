using System.Numerics;

namespace Appliance.Inference.Structured;

/// <summary>
/// An object with declared properties (at most 64; names kept as their JSON-escaped bytes), the required ones, and
/// what other keys may hold (<see cref="Additional"/>, null = none). Keys may come in any order, each at most once.
/// </summary>
internal sealed class ObjectNode : GrammarNode
{
    public const int MaxProperties = 64;

    public ObjectNode(IReadOnlyList<byte[]> names)
    {
        Names = names;
        Values = new GrammarNode[names.Count];
        NameTrie = new ByteTrie(names);
    }

    /// <summary>Declared property names, JSON-escaped, without quotes.</summary>
    public IReadOnlyList<byte[]> Names { get; }

    public GrammarNode[] Values { get; }

    public ByteTrie NameTrie { get; }

    public ulong Required { get; set; }

    /// <summary>The schema of undeclared keys' values; null when the object is closed.</summary>
    public GrammarNode? Additional { get; set; }

    /// <summary>Declared properties whose value schema admits some value.</summary>
    public ulong Usable
    {
        get
        {
            var usable = 0UL;
            for (var p = 0; p < Values.Length; p++)
            {
                if (Values[p].MinLength < Unreachable)
                {
                    usable |= 1UL << p;
                }
            }

            return usable;
        }
    }

    public override JsonKinds Kinds => JsonKinds.Object;

    public override int ComputeMinLength() => Add(1, Rest(0, comma: false));

    /// <summary>Whether another key can follow the ones in <paramref name="seen"/>.</summary>
    public bool MoreKeys(ulong seen) => Additional is { MinLength: < Unreachable } || (Usable & ~seen) != 0;

    /// <summary>Bytes of the shortest `"name":value` for property <paramref name="p"/>.</summary>
    public int Entry(int p) => Add(Names[p].Length + 3, Values[p].MinLength);

    /// <summary>
    /// Fewest bytes to close the object once <paramref name="seen"/> are written: the missing required entries, their
    /// commas (one before each with <paramref name="comma"/>, i.e. after an entry) and '}'.
    /// </summary>
    public int Rest(ulong seen, bool comma)
    {
        var missing = Required & ~seen;
        if (missing == 0)
        {
            return 1;
        }

        var total = BitOperations.PopCount(missing) - (comma ? 0 : 1) + 1;
        for (var set = missing; set != 0; set &= set - 1)
        {
            total = Add(total, Entry(BitOperations.TrailingZeroCount(set)));
        }

        return total;
    }

    /// <summary>Fewest bytes to close the object after a comma, where a key must come.</summary>
    public int AfterComma(ulong seen)
    {
        if ((Required & ~seen) != 0)
        {
            return Rest(seen, comma: false);
        }

        var best = Additional is null ? Unreachable : Add(3, Additional.MinLength);
        for (var set = Usable & ~seen; set != 0; set &= set - 1)
        {
            best = Math.Min(best, Entry(BitOperations.TrailingZeroCount(set)));
        }

        return Add(best, 1);
    }

    /// <summary>
    /// Fewest bytes to close the object from inside a key: <paramref name="depth"/> raw key bytes written, at
    /// <paramref name="trieNode"/> of the name trie (-1 when off it), <paramref name="pending"/> bytes still owed to an
    /// escape or UTF-8 sequence.
    /// </summary>
    public int InKey(int trieNode, int depth, int pending, ulong seen)
    {
        var best = Unreachable;
        if (trieNode >= 0)
        {
            for (var set = NameTrie.Below(trieNode) & Usable & ~seen; set != 0; set &= set - 1)
            {
                var p = BitOperations.TrailingZeroCount(set);
                best = Math.Min(best, Add(Names[p].Length - depth + 2, AfterValue(p, seen)));
            }
        }

        if (Additional is { MinLength: < Unreachable } additional)
        {
            var extra = pending == 0 && trieNode >= 0 && NameTrie.Terminal(trieNode) >= 0 ? 1 : 0;
            best = Math.Min(best, Add(pending + extra + 2, Add(additional.MinLength, Rest(seen, comma: true))));
        }

        return best;
    }

    /// <summary>Fewest bytes to close the object from just before the value of <paramref name="p"/> (-1 = an undeclared key).</summary>
    public int AfterValue(int p, ulong seen) =>
        Add(ValueOf(p).MinLength, Rest(p < 0 ? seen : seen | (1UL << p), comma: true));

    public GrammarNode ValueOf(int p) => p < 0 ? Additional! : Values[p];
}
