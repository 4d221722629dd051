using System.Diagnostics;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;

namespace Appliance.Quantize.Evaluation;

/// <summary>
/// One model directory fed a text window by window, returning the logits of the positions asked for. A graph with
/// logits for every position (convert --all-logits) is fed a batch of tokens per run; a last-position graph (what the
/// appliance runs) is fed the unscored context in one run and then one token per run.
/// </summary>
internal sealed class ModelScorer : IDisposable
{
    /// <summary>Tokens per run on an all-logits graph: bounds the [batch, vocab] output ONNX Runtime allocates.</summary>
    public const int BatchTokens = 64;

    private readonly DecoderSession _session;
    private readonly Stopwatch _busy = new();

    private ModelScorer(ModelDirectory model, DecoderSession session)
    {
        Model = model;
        _session = session;
    }

    public ModelDirectory Model { get; }

    public int VocabSize => _session.VocabSize;

    /// <summary>Longest window the session's KV cache holds.</summary>
    public int Capacity => _session.Capacity;

    /// <summary>True when one run returns every fed position's logits.</summary>
    public bool Batched => _session.OutputsAllLogits;

    /// <summary>Time spent inside ONNX Runtime so far.</summary>
    public TimeSpan Busy => _busy.Elapsed;

    public static ModelScorer Open(string directory, int threads, int maxWindow)
    {
        var model = ModelDirectory.Open(directory);
        var session = DecoderSession.Open(model, new DecoderSessionOptions { IntraOpThreads = threads, MaxSequenceLength = maxWindow });
        return new ModelScorer(model, session);
    }

    /// <summary>Forgets the previous window.</summary>
    public void Reset() => _session.Reset();

    /// <summary>
    /// Appends <paramref name="tokens"/> to the window; when <paramref name="logits"/> is not empty, writes the logits of
    /// each appended position into it ([tokens.Length, vocab]).
    /// </summary>
    public void Feed(ReadOnlySpan<int> tokens, Span<float> logits)
    {
        _busy.Start();
        try
        {
            if (logits.IsEmpty)
            {
                var step = Batched ? BatchTokens : tokens.Length;
                for (var start = 0; start < tokens.Length; start += step)
                {
                    _session.Forward(tokens.Slice(start, Math.Min(step, tokens.Length - start)));
                }
            }
            else if (Batched)
            {
                _session.Forward(tokens, logits);
            }
            else
            {
                for (var i = 0; i < tokens.Length; i++)
                {
                    _session.Forward(tokens.Slice(i, 1));
                    _session.Logits.CopyTo(logits.Slice(i * VocabSize, VocabSize));
                }
            }
        }
        finally
        {
            _busy.Stop();
        }
    }

    public void Dispose() => _session.Dispose();
}
