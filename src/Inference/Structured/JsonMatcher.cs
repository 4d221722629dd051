using System.Numerics;

namespace Appliance.Inference.Structured;

/// <summary>
/// A pushdown matcher of one grammar over bytes, nondeterministic where anyOf alternatives overlap: a state is a set
/// of up to <see cref="MaxHeads"/> stack tops. Frames live in an append-only arena, so a state is cheap to branch
/// from and undoing is truncating the arena — what a walk over a token trie needs. Head sets live in numbered
/// levels of one buffer. Every frame knows the fewest bytes that complete the value, which is what budget-aware
/// masking and the "is it complete" questions read. Allocates only when the arena must grow.
/// </summary>
internal sealed class JsonMatcher
{
    public const int EndNode = -1;
    public const int RootNode = -2;
    public const int MaxHeads = 32;
    public const int MaxDepth = 64;

    private const int End = 0;

    // Frames that may end where they are (a number, a literal that is a prefix of a longer one) carry this phase bit.
    private const byte CompletePhase = 0x80;
    private const int Root = 1;
    private const int InitialFrames = 4096;

    // Frames one Advance may add at most: every head (up to MaxHeads) pushes a few, more where anyOf forks.
    private const int Headroom = 1024;

    private readonly JsonGrammar _grammar;
    private readonly int[] _heads;
    private MatcherFrame[] _frames = new MatcherFrame[InitialFrames];
    private int[] _remap = new int[InitialFrames];
    private int _top;
    private int _outStart;
    private int _outCount;

    public JsonMatcher(JsonGrammar grammar, int levels)
    {
        _grammar = grammar;
        Levels = levels;
        _heads = new int[levels * MaxHeads];
    }

    public int Levels { get; }

    /// <summary>The arena's fill mark; <see cref="Truncate"/> returns to it.</summary>
    public int Top => _top;

    /// <summary>Resets to the start of a value; level 0 then holds the one head. Returns the head count.</summary>
    public int Start()
    {
        _frames[End] = new MatcherFrame { Node = EndNode, Parent = End };
        _frames[Root] = new MatcherFrame { Node = RootNode, Parent = End, MinTotal = _grammar.Root.MinLength };
        _top = 2;
        _heads[0] = Root;
        return 1;
    }

    public void Truncate(int top) => _top = top;

    public ReadOnlySpan<int> Level(int level, int count) => _heads.AsSpan(level * MaxHeads, count);

    /// <summary>Copies a level's heads to another level.</summary>
    public void CopyLevel(int from, int count, int to) => Level(from, count).CopyTo(_heads.AsSpan(to * MaxHeads));

    /// <summary>Feeds <paramref name="b"/> to each head of level <paramref name="from"/>; the survivors go to level <paramref name="to"/>.</summary>
    public int Advance(int from, int count, byte b, int to)
    {
        if (_top + Headroom > _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        _outStart = to * MaxHeads;
        _outCount = 0;
        var heads = from * MaxHeads;
        for (var i = 0; i < count; i++)
        {
            Step(_heads[heads + i], b);
        }

        return _outCount;
    }

    /// <summary>Fewest bytes that complete the value from any of the heads.</summary>
    public int MinTotal(int level, int count)
    {
        var best = GrammarNode.Unreachable;
        foreach (var head in Level(level, count))
        {
            best = Math.Min(best, _frames[head].MinTotal);
        }

        return best;
    }

    /// <summary>
    /// Whether the state is one head between two characters of a string that any plain text may extend: a string
    /// value, or a key of an object that allows undeclared keys. Then <paramref name="context"/> says how many more
    /// characters fit and bounds what finishing costs after a plain token, so the mask need not walk those tokens.
    /// </summary>
    public bool TryPlainContext(int level, int count, out PlainContext context)
    {
        context = default;
        if (count != 1)
        {
            return false;
        }

        var frame = _frames[_heads[level * MaxHeads]];
        if (frame.Node < 0 || frame.B != JsonStringLexer.Body)
        {
            return false;
        }

        switch (_grammar.Nodes[frame.Node])
        {
            case StringNode text when frame.Phase == StringBody:
                // Characters only ever bring the string closer to minLength; an unfinished one owes at most 4 bytes.
                var missing = text.MinChars - frame.A;
                context = new PlainContext(
                    text.CountsChars ? text.MaxChars - frame.A : int.MaxValue,
                    WorstAfter: frame.MinTotal + 4,
                    WholeAfter: frame.MinTotal - (missing > 0 ? 1 : 0),
                    WholeAfterExact: true);
                return true;
            case ObjectNode { Additional.MinLength: < GrammarNode.Unreachable } obj when frame.Phase == ObjectKey:
                // A plain token may leave the declared names (then the key is undeclared and costs at most this) or
                // land on one (one more byte to make it undeclared). Off the names, nothing changes but what is owed.
                var parent = _frames[frame.Parent].MinTotal;
                var offNames = GrammarNode.Add(parent, obj.InKey(-1, 0, 0, (ulong)frame.C));
                context = new PlainContext(
                    int.MaxValue,
                    WorstAfter: GrammarNode.Add(offNames, 5),
                    WholeAfter: frame.A < 0 ? frame.MinTotal : GrammarNode.Add(offNames, 1),
                    WholeAfterExact: frame.A < 0);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether the value may end here (a stop token may come).</summary>
    public bool CanEnd(int level, int count)
    {
        foreach (var head in Level(level, count))
        {
            for (var f = head; ; f = _frames[f].Parent)
            {
                if (f == End)
                {
                    return true;
                }

                if (!IsComplete(_frames[f]))
                {
                    break;
                }
            }
        }

        return false;
    }

    /// <summary>Whether the value is complete and no byte may follow.</summary>
    public bool IsFinished(int level, int count)
    {
        foreach (var head in Level(level, count))
        {
            if (head != End)
            {
                return false;
            }
        }

        return count > 0;
    }

    /// <summary>
    /// Moves the frames the heads of level <paramref name="level"/> reach to the bottom of the arena, when it has
    /// grown past half, so a long generation keeps it small. Parents always sit below their children.
    /// </summary>
    public void Compact(int level, int count)
    {
        if (_top < _frames.Length / 2)
        {
            return;
        }

        if (_remap.Length < _frames.Length)
        {
            _remap = new int[_frames.Length];
        }

        var remap = _remap.AsSpan(0, _top);
        remap.Fill(-1);
        remap[End] = End;
        remap[Root] = Root;
        foreach (var head in Level(level, count))
        {
            for (var f = head; remap[f] < 0; f = _frames[f].Parent)
            {
                remap[f] = 0;
            }
        }

        var next = 2;
        for (var f = 2; f < _top; f++)
        {
            if (remap[f] == 0)
            {
                var frame = _frames[f];
                frame.Parent = remap[frame.Parent];
                _frames[next] = frame;
                remap[f] = next++;
            }
        }

        var heads = _heads.AsSpan(level * MaxHeads, count);
        for (var i = 0; i < heads.Length; i++)
        {
            heads[i] = remap[heads[i]];
        }

        _top = next;
    }


    private static bool IsComplete(in MatcherFrame frame) => (frame.Phase & CompletePhase) != 0;

    private void Emit(int head)
    {
        var heads = _heads.AsSpan(_outStart, _outCount);
        if (heads.Contains(head) || _outCount == MaxHeads)
        {
            return;
        }

        _heads[_outStart + _outCount++] = head;
    }

    /// <summary>Writes a frame unless it can no longer finish; emits it as a head when <paramref name="emit"/>.</summary>
    private int Push(int node, byte phase, int a, int b, long c, int parent, int own, int depth, bool emit = true)
    {
        if (own >= GrammarNode.Unreachable)
        {
            return -1;
        }

        _frames[_top] = new MatcherFrame
        {
            Node = node,
            Phase = phase,
            A = a,
            B = b,
            C = c,
            Parent = parent,
            MinTotal = GrammarNode.Add(own, _frames[parent].MinTotal),
            Depth = (byte)depth,
        };
        if (emit)
        {
            Emit(_top);
        }

        return _top++;
    }

    private void Step(int f, byte b)
    {
        var frame = _frames[f];
        switch (frame.Node)
        {
            case EndNode:
                return;
            case RootNode:
                StartValue(_grammar.Root, End, b, 0);
                return;
        }

        switch (_grammar.Nodes[frame.Node])
        {
            case LiteralNode literal:
                StepLiteral(literal, frame, b);
                break;
            case NumberNode number:
                StepNumber(number, frame, b);
                break;
            case StringNode text:
                StepString(text, frame, b);
                break;
            case ArrayNode array:
                StepArray(array, frame, b);
                break;
            case ObjectNode obj:
                StepObject(obj, frame, b);
                break;
        }
    }

    /// <summary>A value of <paramref name="node"/> begins with <paramref name="b"/>; it returns to <paramref name="parent"/>.</summary>
    private void StartValue(GrammarNode node, int parent, byte b, int depth)
    {
        if (node.MinLength >= GrammarNode.Unreachable || depth > MaxDepth)
        {
            return;
        }

        if (node is UnionNode union)
        {
            foreach (var alternative in union.Alternatives)
            {
                StartValue(alternative, parent, b, depth);
            }

            return;
        }

        var start = Push(node.Index, 0, 0, 0, 0, parent, node.MinLength, depth, emit: false);
        Step(start, b);
    }

    private void StepLiteral(LiteralNode literal, in MatcherFrame frame, byte b)
    {
        var trie = literal.Trie;
        var child = trie.Child(frame.A, b);
        if (child >= 0)
        {
            if (trie.Terminal(child) >= 0 && trie.IsLeaf(child))
            {
                Emit(frame.Parent);
            }
            else
            {
                var phase = trie.Terminal(child) >= 0 ? CompletePhase : (byte)0;
                Push(literal.Index, phase, child, 0, 0, frame.Parent, trie.MinToEnd(child), frame.Depth);
            }
        }
        else if (frame.Phase == CompletePhase)
        {
            Step(frame.Parent, b);
        }
    }

    // Number phases; CompletePhase is or-ed in where the number may end.
    private const byte NumberStart = 0;
    private const byte NumberMinus = 1;
    private const byte NumberZero = 2;
    private const byte NumberInteger = 3;
    private const byte NumberDot = 4;
    private const byte NumberFraction = 5;
    private const byte NumberExponent = 6;
    private const byte NumberExponentSign = 7;
    private const byte NumberExponentDigits = 8;

    private void StepNumber(NumberNode number, in MatcherFrame frame, byte b)
    {
        var phase = (byte)(frame.Phase & ~CompletePhase);
        var digit = b is >= (byte)'0' and <= (byte)'9';
        var negative = frame.B == 1;
        var fraction = !number.IsInteger;
        switch (phase)
        {
            case NumberStart when b == '-':
                PushNumber(number, frame, NumberMinus, 0, negative: true, 0);
                return;
            case NumberStart or NumberMinus when b == '0':
                PushNumber(number, frame, NumberZero, 1, negative, 0);
                return;
            case NumberStart or NumberMinus when digit:
                PushNumber(number, frame, NumberInteger, 1, negative, b - '0');
                return;
            case NumberInteger when digit && frame.A < NumberNode.MaxIntegerDigits:
                PushNumber(number, frame, NumberInteger, frame.A + 1, negative, (frame.C * 10) + (b - '0'));
                return;
            case NumberZero or NumberInteger when fraction && b == '.':
                PushNumber(number, frame, NumberDot, 0, negative, 0);
                return;
            case NumberZero or NumberInteger or NumberFraction when fraction && (b == 'e' || b == 'E'):
                PushNumber(number, frame, NumberExponent, 0, negative, 0);
                return;
            case NumberDot when digit:
                PushNumber(number, frame, NumberFraction, 1, negative, 0);
                return;
            case NumberFraction when digit && frame.A < NumberNode.MaxFractionDigits:
                PushNumber(number, frame, NumberFraction, frame.A + 1, negative, 0);
                return;
            case NumberExponent when b == '+' || b == '-':
                PushNumber(number, frame, NumberExponentSign, 0, negative, 0);
                return;
            case NumberExponent or NumberExponentSign when digit:
                PushNumber(number, frame, NumberExponentDigits, 1, negative, 0);
                return;
            case NumberExponentDigits when digit && frame.A < NumberNode.MaxExponentDigits:
                PushNumber(number, frame, NumberExponentDigits, frame.A + 1, negative, 0);
                return;
        }

        if (frame.Phase >= CompletePhase)
        {
            Step(frame.Parent, b);
        }
    }

    private void PushNumber(NumberNode number, in MatcherFrame frame, byte phase, int digits, bool negative, long value)
    {
        int own;
        var complete = false;
        if (number.IsInteger)
        {
            own = phase switch
            {
                NumberMinus => number.DigitsAfterSign(negative: true),
                _ => number.Reach(negative, value, digits),
            };
            if (own < 0)
            {
                return;
            }

            complete = own == 0;
        }
        else
        {
            complete = phase is NumberZero or NumberInteger or NumberFraction or NumberExponentDigits;
            own = complete ? 0 : 1;
        }

        Push(number.Index, complete ? (byte)(phase | CompletePhase) : phase, digits, negative ? 1 : 0, value, frame.Parent, own, frame.Depth);
    }

    private const byte StringStart = 0;
    private const byte StringBody = 1;

    private void StepString(StringNode text, in MatcherFrame frame, byte b)
    {
        if (frame.Phase == StringStart)
        {
            if (b == '"')
            {
                Push(text.Index, StringBody, 0, JsonStringLexer.Body, 0, frame.Parent, Own(text, 0, JsonStringLexer.Body), frame.Depth);
            }

            return;
        }

        var state = JsonStringLexer.Step(frame.B, b, out var startsChar);
        if (state == JsonStringLexer.Closed)
        {
            if (frame.A >= text.MinChars)
            {
                Emit(frame.Parent);
            }

            return;
        }

        if (state == JsonStringLexer.Rejected)
        {
            return;
        }

        var count = frame.A;
        if (startsChar && text.CountsChars)
        {
            if (count == text.MaxChars)
            {
                return;
            }

            count++;
        }

        Push(text.Index, StringBody, count, state, 0, frame.Parent, Own(text, count, state), frame.Depth);

        static int Own(StringNode text, int count, int state) =>
            JsonStringLexer.Pending(state) + Math.Max(0, text.MinChars - count) + 1;
    }

    private const byte ArrayStart = 0;
    private const byte ArrayOpen = 1;
    private const byte ArrayAfterComma = 2;
    private const byte ArrayAfterItem = 3;

    private void StepArray(ArrayNode array, in MatcherFrame frame, byte b)
    {
        switch (frame.Phase)
        {
            case ArrayStart when b == '[':
                Push(array.Index, ArrayOpen, 0, 0, 0, frame.Parent, array.AfterOpen(), frame.Depth);
                return;
            case ArrayOpen when b == ']':
                if (array.MinItems == 0)
                {
                    Emit(frame.Parent);
                }

                return;
            case ArrayOpen or ArrayAfterComma:
                var count = frame.Phase == ArrayOpen ? 1 : frame.A + 1;
                if (count > array.MaxItems)
                {
                    return;
                }

                var stored = array.CountsItems ? count : 0;
                var back = Push(array.Index, ArrayAfterItem, stored, 0, 0, frame.Parent, array.AfterItem(count), frame.Depth, emit: false);
                if (back >= 0)
                {
                    StartValue(array.Items, back, b, frame.Depth + 1);
                }

                return;
            case ArrayAfterItem when b == ',':
                if (!array.CountsItems || frame.A < array.MaxItems)
                {
                    Push(array.Index, ArrayAfterComma, frame.A, 0, 0, frame.Parent, array.AfterSeparator(frame.A), frame.Depth);
                }

                return;
            case ArrayAfterItem when b == ']':
                if (!array.CountsItems || frame.A >= array.MinItems)
                {
                    Emit(frame.Parent);
                }

                return;
        }
    }

    private const byte ObjectStart = 0;
    private const byte ObjectOpen = 1;
    private const byte ObjectAfterComma = 2;
    private const byte ObjectKey = 3;
    private const byte ObjectColon = 4;
    private const byte ObjectValue = 5;
    private const byte ObjectAfterValue = 6;

    private void StepObject(ObjectNode obj, in MatcherFrame frame, byte b)
    {
        var seen = (ulong)frame.C;
        switch (frame.Phase)
        {
            case ObjectStart when b == '{':
                Push(obj.Index, ObjectOpen, 0, 0, 0, frame.Parent, obj.Rest(0, comma: false), frame.Depth);
                return;
            case ObjectOpen when b == '}':
            case ObjectAfterValue when b == '}':
                if ((obj.Required & ~seen) == 0)
                {
                    Emit(frame.Parent);
                }

                return;
            case ObjectOpen or ObjectAfterComma when b == '"':
                Push(obj.Index, ObjectKey, 0, JsonStringLexer.Body, frame.C, frame.Parent, obj.InKey(0, 0, 0, seen), frame.Depth);
                return;
            case ObjectKey:
                StepKey(obj, frame, b, seen);
                return;
            case ObjectColon when b == ':':
                Push(obj.Index, ObjectValue, frame.A, 0, frame.C, frame.Parent, obj.AfterValue(frame.A, seen), frame.Depth);
                return;
            case ObjectValue:
                var written = frame.A < 0 ? seen : seen | (1UL << frame.A);
                var back = Push(obj.Index, ObjectAfterValue, 0, 0, (long)written, frame.Parent, obj.Rest(written, comma: true), frame.Depth, emit: false);
                if (back >= 0)
                {
                    StartValue(obj.ValueOf(frame.A), back, b, frame.Depth + 1);
                }

                return;
            case ObjectAfterValue when b == ',':
                if (obj.MoreKeys(seen))
                {
                    Push(obj.Index, ObjectAfterComma, 0, 0, frame.C, frame.Parent, obj.AfterComma(seen), frame.Depth);
                }

                return;
        }
    }

    private void StepKey(ObjectNode obj, in MatcherFrame frame, byte b, ulong seen)
    {
        var state = JsonStringLexer.Step(frame.B, b, out _);
        if (state == JsonStringLexer.Rejected)
        {
            return;
        }

        var trie = obj.NameTrie;
        if (state == JsonStringLexer.Closed)
        {
            var p = frame.A >= 0 ? trie.Terminal(frame.A) : -1;
            if (p >= 0 && (((seen >> p) & 1) != 0 || obj.Values[p].MinLength >= GrammarNode.Unreachable))
            {
                return;
            }

            if (p < 0 && obj.Additional is not { MinLength: < GrammarNode.Unreachable })
            {
                return;
            }

            Push(obj.Index, ObjectColon, p, 0, frame.C, frame.Parent, GrammarNode.Add(1, obj.AfterValue(p, seen)), frame.Depth);
            return;
        }

        var node = frame.A >= 0 ? trie.Child(frame.A, b) : -1;
        var own = obj.InKey(node, node >= 0 ? trie.Depth(node) : 0, JsonStringLexer.Pending(state), seen);
        Push(obj.Index, ObjectKey, node, state, frame.C, frame.Parent, own, frame.Depth);
    }
}
