namespace Appliance.Inference.Structured;

/// <summary>
/// The byte strings of a set of tokens as a trie in flat arrays (first child, next sibling), so a depth-first walk
/// that prunes dead branches touches only what can still match. Node 0 is the root; tokens with equal bytes share
/// a node and sit next to each other in <see cref="Ids"/>.
/// </summary>
internal sealed class TokenTrie
{
    public TokenTrie(byte[]?[] bytes, Func<int, bool> include)
    {
        var ids = Enumerable.Range(0, bytes.Length).Where(id => bytes[id] is { Length: > 0 } && include(id)).ToArray();
        System.Array.Sort(ids, (x, y) => bytes[x].AsSpan().SequenceCompareTo(bytes[y]));
        Ids = ids;

        var firstChild = new List<int> { -1 };
        var nextSibling = new List<int> { -1 };
        var lastChild = new List<int> { -1 };
        var edge = new List<byte> { 0 };
        var tokenStart = new List<int> { 0 };
        var tokenEnd = new List<int> { 0 };
        var path = new List<int> { 0 };
        byte[] previous = [];
        for (var i = 0; i < ids.Length; i++)
        {
            var current = bytes[ids[i]]!;
            var common = current.AsSpan().CommonPrefixLength(previous);
            path.RemoveRange(common + 1, path.Count - common - 1);
            for (var d = common; d < current.Length; d++)
            {
                var node = firstChild.Count;
                firstChild.Add(-1);
                nextSibling.Add(-1);
                lastChild.Add(-1);
                edge.Add(current[d]);
                tokenStart.Add(0);
                tokenEnd.Add(0);
                var parent = path[d];
                if (lastChild[parent] < 0)
                {
                    firstChild[parent] = node;
                }
                else
                {
                    nextSibling[lastChild[parent]] = node;
                }

                lastChild[parent] = node;
                path.Add(node);
            }

            var end = path[current.Length];
            if (tokenEnd[end] == tokenStart[end])
            {
                tokenStart[end] = i;
                tokenEnd[end] = i;
            }

            tokenEnd[end] = i + 1;
            previous = current;
        }

        FirstChild = [.. firstChild];
        NextSibling = [.. nextSibling];
        Edge = [.. edge];
        TokenStart = [.. tokenStart];
        TokenEnd = [.. tokenEnd];
        MaxDepth = ids.Length == 0 ? 0 : ids.Max(id => bytes[id]!.Length);
    }

    public int[] FirstChild { get; }

    public int[] NextSibling { get; }

    /// <summary>The byte on the edge into each node.</summary>
    public byte[] Edge { get; }

    /// <summary>The tokens ending at a node are Ids[TokenStart[node]..TokenEnd[node]].</summary>
    public int[] TokenStart { get; }

    public int[] TokenEnd { get; }

    public int[] Ids { get; }

    /// <summary>The longest token's length in bytes.</summary>
    public int MaxDepth { get; }
}
