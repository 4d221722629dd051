using System.Runtime.InteropServices;

namespace Appliance.Inference.Structured;

/// <summary>
/// One level of a matcher stack, immutable once written: what node is being matched, where in it, and the frame to
/// return to. A stack is its top frame; stacks share the frames below. The fields' meaning depends on the node.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal struct MatcherFrame
{
    /// <summary>Grammar node index, or <see cref="JsonMatcher.EndNode"/> / <see cref="JsonMatcher.RootNode"/>.</summary>
    public int Node;

    public int Parent;

    /// <summary>Literal: trie node. Number: digits in the current part. String: characters. Object: name-trie node or property. Array: items.</summary>
    public int A;

    /// <summary>String and object key: the string lexer's state. Number: 1 when negative.</summary>
    public int B;

    /// <summary>Integer: value so far. Object: the properties written (bit per declared property).</summary>
    public long C;

    /// <summary>Fewest bytes that finish this frame and every one below it.</summary>
    public int MinTotal;

    public byte Phase;

    /// <summary>Nesting depth of the value this frame belongs to.</summary>
    public byte Depth;
}
