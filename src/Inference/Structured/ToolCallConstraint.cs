using System.Text;
using Appliance.Inference.Generation;

namespace Appliance.Inference.Structured;

/// <summary>
/// Lets a reply be free text until the model starts a tool call (its format's trigger, or for a format without one a
/// reply whose first token starts with <c>{</c>), then forces the format's opening text, keeps the call inside the
/// tool-call grammar, forces the closing text and ends the reply. When a call is required, the reply starts in the
/// forced part. One call per reply; the call's JSON is kept as it is generated.
/// </summary>
public sealed class ToolCallConstraint : ITokenConstraint
{
    private readonly JsonConstraint _json;
    private readonly TokenVocabulary _vocabulary;
    private readonly ToolCallFormat _format;
    private readonly bool _required;
    private readonly int[] _triggerEndings;
    private readonly List<byte> _call = new(256);
    private float[] _masked = [];
    private Phase _phase;
    private byte[] _literal = [];
    private int _literalAt;
    private int _triggerAt;
    private bool _started;

    public ToolCallConstraint(JsonGrammar grammar, TokenVocabulary vocabulary, ToolCallFormat format, bool required)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(format);
        _json = new JsonConstraint(grammar, vocabulary);
        _vocabulary = vocabulary;
        _format = format;
        _required = required;
        _triggerEndings = format.TriggerBytes.Length == 0 ? [] : TokensEndingInside(vocabulary, format.TriggerBytes[^1]);
        Begin([]);
    }

    private enum Phase
    {
        Free,
        Literal,
        Call,
        Done,
    }

    /// <summary>Whether a call is complete. Free text never is: stop tokens stay allowed there, but a reply cut by the token limit ends by length.</summary>
    public bool IsComplete => _phase == Phase.Done;

    public bool IsFinished => _phase == Phase.Done;

    /// <summary>The call (compact JSON with <c>name</c> and the format's arguments key) once it is complete, else null.</summary>
    public string? CallJson => _phase == Phase.Done ? Encoding.UTF8.GetString([.. _call]) : null;

    public void Begin(ReadOnlySpan<int> stopTokens)
    {
        _json.Begin([]);
        _call.Clear();
        _triggerAt = 0;
        _started = false;
        if (_required)
        {
            EnterLiteral([.. _format.TriggerBytes, .. _format.OpenBytes]);
        }
        else
        {
            _phase = Phase.Free;
        }
    }

    public ReadOnlySpan<float> Mask(ReadOnlySpan<float> logits, int tokensLeft)
    {
        if (_masked.Length != logits.Length)
        {
            _masked = new float[logits.Length];
        }

        var masked = _masked.AsSpan();
        switch (_phase)
        {
            case Phase.Free when _format.TriggerBytes.Length > 0:
                // A token that completes the trigger must end there, so the call starts on a token boundary.
                logits.CopyTo(masked);
                foreach (var id in _triggerEndings)
                {
                    if (id < masked.Length && TriggerEndsBefore(_vocabulary.Bytes[id]!, _triggerAt) < _vocabulary.Bytes[id]!.Length)
                    {
                        masked[id] = float.NegativeInfinity;
                    }
                }

                return masked;
            case Phase.Free when !_started:
                // The first token decides: one starting with '{' starts the call and must keep it valid.
                _json.MaskInto(logits, tokensLeft - _format.CloseBytes.Length, masked);
                for (var id = 0; id < masked.Length; id++)
                {
                    if (id >= _vocabulary.Size || _vocabulary.Bytes[id] is not [(byte)'{', ..])
                    {
                        masked[id] = logits[id];
                    }
                }

                return masked;
            case Phase.Free:
                return logits;
            case Phase.Call:
                _json.MaskInto(logits, tokensLeft - _format.CloseBytes.Length, masked);
                return masked;
            case Phase.Literal:
                masked.Fill(float.NegativeInfinity);
                AllowLiteralPrefixes(logits, masked);
                return masked;
            default:
                throw new InvalidOperationException("The tool call is complete; only a stop token may follow.");
        }
    }

    public void Accept(int tokenId)
    {
        var bytes = (uint)tokenId < (uint)_vocabulary.Size ? _vocabulary.Bytes[tokenId] : null;
        var first = !_started;
        _started = true;
        switch (_phase)
        {
            case Phase.Free when _format.TriggerBytes.Length > 0:
                if (bytes is not null && TriggerEndsBefore(bytes, _triggerAt) is var end && end <= bytes.Length)
                {
                    EnterLiteral(_format.OpenBytes);
                }
                else if (bytes is not null)
                {
                    _triggerAt = TriggerProgress(bytes, _triggerAt);
                }

                break;
            case Phase.Free when first && bytes is [(byte)'{', ..]:
                _phase = Phase.Call;
                AcceptCall(tokenId, bytes);
                break;
            case Phase.Free:
                break;
            case Phase.Literal:
                if (bytes is null || !_literal.AsSpan(_literalAt).StartsWith(bytes) || bytes.Length == 0)
                {
                    throw new InvalidOperationException($"Token {tokenId} does not continue the tool call's fixed text; the mask did not allow it.");
                }

                _literalAt += bytes.Length;
                if (_literalAt == _literal.Length)
                {
                    _phase = _call.Count == 0 ? Phase.Call : Phase.Done;
                }

                break;
            case Phase.Call:
                AcceptCall(tokenId, bytes!);
                break;
            default:
                throw new InvalidOperationException("The tool call is complete; only a stop token may follow.");
        }
    }

    /// <summary>Tokens holding <paramref name="last"/> before their final byte: the only ones that can complete the trigger mid-token.</summary>
    private static int[] TokensEndingInside(TokenVocabulary vocabulary, byte last)
    {
        var ids = new List<int>();
        for (var id = 0; id < vocabulary.Size; id++)
        {
            if (vocabulary.Bytes[id] is { } bytes && bytes.AsSpan(0, Math.Max(0, bytes.Length - 1)).Contains(last))
            {
                ids.Add(id);
            }
        }

        return [.. ids];
    }

    private void AcceptCall(int tokenId, byte[] bytes)
    {
        _json.Accept(tokenId);
        _call.AddRange(bytes);
        if (_json.IsFinished)
        {
            if (_format.CloseBytes.Length == 0)
            {
                _phase = Phase.Done;
            }
            else
            {
                EnterLiteral(_format.CloseBytes);
            }
        }
    }

    private void EnterLiteral(byte[] literal)
    {
        _literal = literal;
        _literalAt = 0;
        _phase = literal.Length == 0 ? Phase.Call : Phase.Literal;
    }

    /// <summary>Allows every token whose bytes are a prefix of the rest of the literal, found by walking the byte trie along it.</summary>
    private void AllowLiteralPrefixes(ReadOnlySpan<float> logits, Span<float> masked)
    {
        var trie = _vocabulary.All;
        var node = 0;
        for (var i = _literalAt; i < _literal.Length; i++)
        {
            var child = trie.FirstChild[node];
            while (child >= 0 && trie.Edge[child] != _literal[i])
            {
                child = trie.NextSibling[child];
            }

            if (child < 0)
            {
                return;
            }

            for (var k = trie.TokenStart[child]; k < trie.TokenEnd[child]; k++)
            {
                var id = trie.Ids[k];
                if (id < masked.Length)
                {
                    masked[id] = logits[id];
                }
            }

            node = child;
        }
    }

    /// <summary>Where in <paramref name="bytes"/> the trigger completes (one past its end) from <paramref name="matched"/> bytes of it, or int.MaxValue.</summary>
    private int TriggerEndsBefore(byte[] bytes, int matched)
    {
        var trigger = _format.TriggerBytes;
        for (var i = 0; i < bytes.Length; i++)
        {
            matched = Step(trigger, matched, bytes[i]);
            if (matched == trigger.Length)
            {
                return i + 1;
            }
        }

        return int.MaxValue;
    }

    private int TriggerProgress(byte[] bytes, int matched)
    {
        foreach (var b in bytes)
        {
            matched = Step(_format.TriggerBytes, matched, b);
        }

        return matched;
    }

    // Triggers start with a byte they do not repeat ('<'), so a mismatch restarts at that byte or at nothing.
    private static int Step(byte[] trigger, int matched, byte b) =>
        trigger[matched] == b ? matched + 1 : trigger[0] == b ? 1 : 0;
}
