namespace Appliance.Inference.Structured;

/// <summary>
/// A trie over a small set of byte strings (enum values, property names): each node knows its children, which
/// string ends there, the fewest bytes to the end of any string below it and the set of strings below it.
/// </summary>
internal sealed class ByteTrie
{
    private readonly List<Dictionary<byte, int>> _children = [[]];
    private readonly List<int> _terminal = [-1];
    private readonly List<int> _depth = [0];
    private int[] _minToEnd = [];
    private ulong[] _below = [];

    public ByteTrie(IReadOnlyList<byte[]> strings)
    {
        for (var s = 0; s < strings.Count; s++)
        {
            var node = 0;
            foreach (var b in strings[s])
            {
                if (!_children[node].TryGetValue(b, out var child))
                {
                    child = _children.Count;
                    _children.Add([]);
                    _terminal.Add(-1);
                    _depth.Add(_depth[node] + 1);
                    _children[node][b] = child;
                }

                node = child;
            }

            if (_terminal[node] < 0)
            {
                _terminal[node] = s;
            }
        }

        Count = strings.Count;
        Summarise();
    }

    /// <summary>How many strings were given (duplicates included).</summary>
    public int Count { get; }

    /// <summary>The child of <paramref name="node"/> along <paramref name="b"/>, or -1.</summary>
    public int Child(int node, byte b) => _children[node].TryGetValue(b, out var child) ? child : -1;

    /// <summary>The index of the string ending at <paramref name="node"/>, or -1.</summary>
    public int Terminal(int node) => _terminal[node];

    /// <summary>How many bytes lead from the root to <paramref name="node"/>.</summary>
    public int Depth(int node) => _depth[node];

    public bool IsLeaf(int node) => _children[node].Count == 0;

    /// <summary>The fewest bytes from <paramref name="node"/> to the end of a string.</summary>
    public int MinToEnd(int node) => _minToEnd[node];

    /// <summary>The strings (by index, the first 64) ending at or below <paramref name="node"/>.</summary>
    public ulong Below(int node) => _below[node];

    private void Summarise()
    {
        var count = _children.Count;
        _minToEnd = new int[count];
        _below = new ulong[count];

        // Children always have larger indices than their parent, so one backward pass sees every child first.
        for (var node = count - 1; node >= 0; node--)
        {
            var min = _terminal[node] >= 0 ? 0 : int.MaxValue;
            var below = _terminal[node] is >= 0 and < 64 ? 1UL << _terminal[node] : 0;
            foreach (var child in _children[node].Values)
            {
                min = Math.Min(min, _minToEnd[child] == int.MaxValue ? int.MaxValue : _minToEnd[child] + 1);
                below |= _below[child];
            }

            _minToEnd[node] = min;
            _below[node] = below;
        }
    }
}
