using Appliance.Inference.Generation;
using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Synthetic;

/// <summary>
/// The tensors of a random-weight checkpoint: linear weights, biases and embeddings N(0, 0.02), norm weights 1
/// (Qwen3's q/k norms 1 plus noise, so a converter that drops them is caught). Each tensor draws from its own
/// stream keyed by its name, so the values do not depend on the order tensors are written in.
/// </summary>
public static class SyntheticWeights
{
    public const double StandardDeviation = 0.02;
    public const double QueryKeyNormNoise = 0.1;

    public static IReadOnlyList<(string Name, long[] Shape, WeightInitialization Init)> Layout(HfModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        long hidden = config.HiddenSize;
        long queryWidth = (long)config.NumAttentionHeads * config.HeadDim;
        long keyValueWidth = (long)config.NumKeyValueHeads * config.HeadDim;
        long ffn = config.IntermediateSize;
        var tensors = new List<(string, long[], WeightInitialization)> { (HfTensorNames.EmbedTokens, [config.VocabSize, hidden], WeightInitialization.Normal) };
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            tensors.Add((HfTensorNames.InputNorm(layer), [hidden], WeightInitialization.Ones));
            tensors.Add((HfTensorNames.AttentionWeight(layer, 'q'), [queryWidth, hidden], WeightInitialization.Normal));
            tensors.Add((HfTensorNames.AttentionWeight(layer, 'k'), [keyValueWidth, hidden], WeightInitialization.Normal));
            tensors.Add((HfTensorNames.AttentionWeight(layer, 'v'), [keyValueWidth, hidden], WeightInitialization.Normal));
            if (config.AttentionBias)
            {
                tensors.Add((HfTensorNames.AttentionBias(layer, 'q'), [queryWidth], WeightInitialization.Normal));
                tensors.Add((HfTensorNames.AttentionBias(layer, 'k'), [keyValueWidth], WeightInitialization.Normal));
                tensors.Add((HfTensorNames.AttentionBias(layer, 'v'), [keyValueWidth], WeightInitialization.Normal));
            }

            if (config.HasQueryKeyNorm)
            {
                tensors.Add((HfTensorNames.QueryKeyNorm(layer, 'q'), [config.HeadDim], WeightInitialization.NoisyOnes));
                tensors.Add((HfTensorNames.QueryKeyNorm(layer, 'k'), [config.HeadDim], WeightInitialization.NoisyOnes));
            }

            tensors.Add((HfTensorNames.AttentionWeight(layer, 'o'), [hidden, queryWidth], WeightInitialization.Normal));
            if (config.OutputProjectionBias)
            {
                tensors.Add((HfTensorNames.AttentionBias(layer, 'o'), [hidden], WeightInitialization.Normal));
            }

            tensors.Add((HfTensorNames.PostAttentionNorm(layer), [hidden], WeightInitialization.Ones));
            tensors.Add((HfTensorNames.Mlp(layer, "gate"), [ffn, hidden], WeightInitialization.Normal));
            tensors.Add((HfTensorNames.Mlp(layer, "up"), [ffn, hidden], WeightInitialization.Normal));
            tensors.Add((HfTensorNames.Mlp(layer, "down"), [hidden, ffn], WeightInitialization.Normal));
        }

        tensors.Add((HfTensorNames.FinalNorm, [hidden], WeightInitialization.Ones));
        if (!config.TieWordEmbeddings)
        {
            tensors.Add((HfTensorNames.LmHead, [config.VocabSize, hidden], WeightInitialization.Normal));
        }

        return tensors;
    }

    /// <summary>Writes every tensor of <paramref name="config"/> to <paramref name="writer"/>; returns the parameter count.</summary>
    public static long Write(SafeTensorsWriter writer, HfModelConfig config, ulong seed, SafeTensorDType dtype)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var layout = Layout(config);
        var buffer = new float[layout.Max(t => SafeTensorInfo.ElementCountOf(t.Shape))];
        long parameters = 0;
        foreach (var (name, shape, init) in layout)
        {
            var values = buffer.AsSpan(0, (int)SafeTensorInfo.ElementCountOf(shape));
            Fill(values, name, seed, init);
            writer.Add(name, dtype, shape, values);
            parameters += values.Length;
        }

        return parameters;
    }

    private static void Fill(Span<float> values, string name, ulong seed, WeightInitialization init)
    {
        switch (init)
        {
            case WeightInitialization.Ones:
                values.Fill(1f);
                break;
            case WeightInitialization.NoisyOnes:
                DeterministicRandom.ForStream(seed, name).FillGaussian(values, 1, QueryKeyNormNoise);
                break;
            default:
                DeterministicRandom.ForStream(seed, name).FillGaussian(values, 0, StandardDeviation);
                break;
        }
    }
}
