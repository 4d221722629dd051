using System.Text;
using Appliance.Inference.Generation;
using Appliance.Inference.Tokenization;

namespace Appliance.Cli;

/// <summary>
/// Writes generated tokens as text the moment it is final: detokenized, with stop strings (even split across tokens)
/// cut off. Keeps the text shown, which a chat adds to its history.
/// </summary>
internal sealed class TextStreamWriter(StreamingDetokenizer detokenizer, StopStringMatcher stops, TextWriter output)
{
    private readonly StringBuilder _shown = new();

    /// <summary>Everything written so far.</summary>
    public string Text => _shown.ToString();

    public bool IsStopped => stops.IsStopped;

    /// <summary>Writes what <paramref name="tokenId"/> completes; false once a stop string appeared (a <see cref="TokenCallback"/>).</summary>
    public bool Write(int tokenId)
    {
        Emit(stops.Push(detokenizer.Push(tokenId)));
        return !stops.IsStopped;
    }

    /// <summary>Writes the text still held back when generation ends.</summary>
    public void Finish()
    {
        Emit(stops.Push(detokenizer.Finish()));
        Emit(stops.Finish());
        output.Flush();
    }

    private void Emit(ReadOnlySpan<char> text)
    {
        if (!text.IsEmpty)
        {
            output.Write(text);
            _shown.Append(text);
        }
    }
}
