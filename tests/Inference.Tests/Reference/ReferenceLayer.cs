using Appliance.Quantize.HuggingFace;

namespace Appliance.Inference.Tests.Reference;

/// <summary>
/// One decoder layer with its own key/value cache: pre-norm attention (q/k/v, Qwen3 per-head q/k RMSNorm before
/// rotary, GQA, causal softmax) and pre-norm SwiGLU MLP, each added back to the residual stream.
/// </summary>
internal sealed class ReferenceLayer
{
    private readonly HfModelConfig _config;
    private readonly double[] _inputNorm;
    private readonly double[] _postAttentionNorm;
    private readonly double[]? _queryNorm;
    private readonly double[]? _keyNorm;
    private readonly ReferenceLinear _query;
    private readonly ReferenceLinear _key;
    private readonly ReferenceLinear _value;
    private readonly ReferenceLinear _output;
    private readonly ReferenceLinear _gate;
    private readonly ReferenceLinear _up;
    private readonly ReferenceLinear _down;
    private readonly List<double[]> _keys = [];
    private readonly List<double[]> _values = [];

    public ReferenceLayer(HfCheckpoint checkpoint, int layer)
    {
        _config = checkpoint.Config;
        var c = _config;
        var queryWidth = c.NumAttentionHeads * c.HeadDim;
        var keyValueWidth = c.NumKeyValueHeads * c.HeadDim;
        string? Bias(char projection) => c.AttentionBias ? HfTensorNames.AttentionBias(layer, projection) : null;

        _inputNorm = ReferenceTensors.ReadVector(checkpoint, HfTensorNames.InputNorm(layer), c.HiddenSize);
        _postAttentionNorm = ReferenceTensors.ReadVector(checkpoint, HfTensorNames.PostAttentionNorm(layer), c.HiddenSize);
        if (c.HasQueryKeyNorm)
        {
            _queryNorm = ReferenceTensors.ReadVector(checkpoint, HfTensorNames.QueryKeyNorm(layer, 'q'), c.HeadDim);
            _keyNorm = ReferenceTensors.ReadVector(checkpoint, HfTensorNames.QueryKeyNorm(layer, 'k'), c.HeadDim);
        }

        _query = ReferenceLinear.Load(checkpoint, HfTensorNames.AttentionWeight(layer, 'q'), Bias('q'), queryWidth, c.HiddenSize);
        _key = ReferenceLinear.Load(checkpoint, HfTensorNames.AttentionWeight(layer, 'k'), Bias('k'), keyValueWidth, c.HiddenSize);
        _value = ReferenceLinear.Load(checkpoint, HfTensorNames.AttentionWeight(layer, 'v'), Bias('v'), keyValueWidth, c.HiddenSize);
        _output = ReferenceLinear.Load(
            checkpoint,
            HfTensorNames.AttentionWeight(layer, 'o'),
            c.OutputProjectionBias ? HfTensorNames.AttentionBias(layer, 'o') : null,
            c.HiddenSize,
            queryWidth);
        _gate = ReferenceLinear.Load(checkpoint, HfTensorNames.Mlp(layer, "gate"), null, c.IntermediateSize, c.HiddenSize);
        _up = ReferenceLinear.Load(checkpoint, HfTensorNames.Mlp(layer, "up"), null, c.IntermediateSize, c.HiddenSize);
        _down = ReferenceLinear.Load(checkpoint, HfTensorNames.Mlp(layer, "down"), null, c.HiddenSize, c.IntermediateSize);
    }

    /// <summary>Query head h reads key/value head h / (heads / kv_heads), as transformers' repeat_kv lays them out.</summary>
    public static int KeyValueHeadOf(int queryHead, HfModelConfig config) => queryHead / config.GroupSize;

    public void Reset()
    {
        _keys.Clear();
        _values.Clear();
    }

    /// <summary>
    /// Advances the residual stream of the new tokens (positions cache length onwards) through the layer, in place.
    /// </summary>
    public void Forward(double[][] hidden, ReadOnlySpan<double> inverseFrequencies)
    {
        var start = _keys.Count;
        var queries = new double[hidden.Length][];
        for (var t = 0; t < hidden.Length; t++)
        {
            var x = ReferenceMath.RmsNorm(hidden[t], _inputNorm, _config.RmsNormEps);
            queries[t] = PositionHeads(_query.Apply(x), _queryNorm, start + t, inverseFrequencies);
            _keys.Add(PositionHeads(_key.Apply(x), _keyNorm, start + t, inverseFrequencies));
            _values.Add(_value.Apply(x));
        }

        for (var t = 0; t < hidden.Length; t++)
        {
            Add(hidden[t], _output.Apply(Attend(queries[t], start + t)));
            var x = ReferenceMath.RmsNorm(hidden[t], _postAttentionNorm, _config.RmsNormEps);
            var gate = _gate.Apply(x);
            var up = _up.Apply(x);
            for (var i = 0; i < gate.Length; i++)
            {
                gate[i] = ReferenceMath.Silu(gate[i]) * up[i];
            }

            Add(hidden[t], _down.Apply(gate));
        }
    }

    /// <summary>Per-head RMSNorm (Qwen3) then rotary, on each head of a projection.</summary>
    private double[] PositionHeads(double[] projection, double[]? headNorm, int position, ReadOnlySpan<double> inverseFrequencies)
    {
        var headDim = _config.HeadDim;
        for (var offset = 0; offset < projection.Length; offset += headDim)
        {
            var head = projection.AsSpan(offset, headDim);
            if (headNorm is not null)
            {
                ReferenceMath.RmsNorm(head, headNorm, _config.RmsNormEps, head);
            }

            ReferenceRotary.Apply(head, position, inverseFrequencies);
        }

        return projection;
    }

    /// <summary>Causal attention of one query (all heads) over cached positions 0..position.</summary>
    private double[] Attend(double[] query, int position)
    {
        var headDim = _config.HeadDim;
        var scale = 1 / Math.Sqrt(headDim);
        var result = new double[query.Length];
        var weights = new double[position + 1];
        for (var head = 0; head < _config.NumAttentionHeads; head++)
        {
            var q = query.AsSpan(head * headDim, headDim);
            var kvOffset = KeyValueHeadOf(head, _config) * headDim;
            for (var j = 0; j <= position; j++)
            {
                weights[j] = ReferenceMath.Dot(q, _keys[j].AsSpan(kvOffset, headDim)) * scale;
            }

            ReferenceMath.Softmax(weights);
            var output = result.AsSpan(head * headDim, headDim);
            for (var j = 0; j <= position; j++)
            {
                var v = _values[j].AsSpan(kvOffset, headDim);
                for (var d = 0; d < headDim; d++)
                {
                    output[d] += weights[j] * v[d];
                }
            }
        }

        return result;
    }

    private static void Add(double[] target, double[] delta)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += delta[i];
        }
    }
}
