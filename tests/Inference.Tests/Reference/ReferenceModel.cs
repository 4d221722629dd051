using Appliance.Quantize.HuggingFace;

namespace Appliance.Inference.Tests.Reference;

/// <summary>
/// A plain float64 forward pass of a Llama / Qwen2 / Qwen3 checkpoint, written from the architecture definitions
/// (transformers' modeling_llama / qwen2 / qwen3) and independent of the ONNX path: the oracle the converted models
/// are compared against. Clear rather than fast.
/// </summary>
internal sealed class ReferenceModel
{
    private readonly double[] _embeddings;
    private readonly double[] _finalNorm;
    private readonly double[] _lmHead;
    private readonly double[] _inverseFrequencies;
    private readonly ReferenceLayer[] _layers;

    private ReferenceModel(HfCheckpoint checkpoint)
    {
        var c = checkpoint.Config;
        Config = c;
        _embeddings = ReferenceTensors.ReadVector(checkpoint, HfTensorNames.EmbedTokens, c.VocabSize * c.HiddenSize);
        _lmHead = c.TieWordEmbeddings
            ? _embeddings
            : ReferenceTensors.ReadVector(checkpoint, HfTensorNames.LmHead, c.VocabSize * c.HiddenSize);
        _finalNorm = ReferenceTensors.ReadVector(checkpoint, HfTensorNames.FinalNorm, c.HiddenSize);
        _inverseFrequencies = ReferenceRotary.InverseFrequencies(c.HeadDim, c.RopeTheta, c.RopeScaling);
        _layers = new ReferenceLayer[c.NumHiddenLayers];
        for (var i = 0; i < _layers.Length; i++)
        {
            _layers[i] = new ReferenceLayer(checkpoint, i);
        }
    }

    public HfModelConfig Config { get; }

    /// <summary>Tokens consumed since the last <see cref="Reset"/>.</summary>
    public int Position { get; private set; }

    public static ReferenceModel Load(string hfDirectory)
    {
        using var checkpoint = HfCheckpoint.Open(hfDirectory);
        return new ReferenceModel(checkpoint);
    }

    /// <summary>Appends <paramref name="tokens"/> to the cache and returns the logits of the last one.</summary>
    public double[] Forward(ReadOnlySpan<int> tokens)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("Forward needs at least one token.", nameof(tokens));
        }

        var hidden = new double[tokens.Length][];
        for (var t = 0; t < tokens.Length; t++)
        {
            var token = tokens[t];
            if ((uint)token >= (uint)Config.VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token id outside the vocabulary of {Config.VocabSize}.");
            }

            hidden[t] = _embeddings.AsSpan(token * Config.HiddenSize, Config.HiddenSize).ToArray();
        }

        foreach (var layer in _layers)
        {
            layer.Forward(hidden, _inverseFrequencies);
        }

        Position += tokens.Length;
        var last = ReferenceMath.RmsNorm(hidden[^1], _finalNorm, Config.RmsNormEps);
        var logits = new double[Config.VocabSize];
        for (var v = 0; v < logits.Length; v++)
        {
            logits[v] = ReferenceMath.Dot(_lmHead.AsSpan(v * Config.HiddenSize, Config.HiddenSize), last);
        }

        return logits;
    }

    public void Reset()
    {
        Position = 0;
        foreach (var layer in _layers)
        {
            layer.Reset();
        }
    }
}
