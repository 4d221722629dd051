using Appliance.Inference.Models;
using Appliance.Inference.Runtime;

namespace Appliance.Inference.Generation;

/// <summary>
/// The decoder graph's inputs and outputs, checked against genai_config.json: every name the config promises exists
/// with a usable element type, and every fixed dimension agrees with the config's layer count, KV heads, head size and
/// vocabulary. A model whose files disagree fails here with the names and numbers, not later inside ONNX Runtime.
/// </summary>
internal sealed class DecoderSignature
{
    private const int KvRank = 4;
    private const int KvHeadsAxis = 1;
    private const int KvHeadSizeAxis = 3;
    private static readonly OnnxElementType[] KvTypes = [OnnxElementType.Float, OnnxElementType.Float16];

    private DecoderSignature(
        string inputIds,
        string attentionMask,
        string? positionIds,
        string logits,
        OnnxElementType logitsType,
        bool logitsLastPositionOnly,
        OnnxElementType kvType,
        KvNames[] layers)
    {
        InputIds = inputIds;
        AttentionMask = attentionMask;
        PositionIds = positionIds;
        Logits = logits;
        LogitsType = logitsType;
        LogitsLastPositionOnly = logitsLastPositionOnly;
        KvType = kvType;
        Layers = layers;
    }

    public string InputIds { get; }

    public string AttentionMask { get; }

    /// <summary>Null when the graph derives positions itself.</summary>
    public string? PositionIds { get; }

    public string Logits { get; }

    public OnnxElementType LogitsType { get; }

    /// <summary>The logits output is [batch, 1, vocab] (else [batch, sequence, vocab]).</summary>
    public bool LogitsLastPositionOnly { get; }

    public OnnxElementType KvType { get; }

    public IReadOnlyList<KvNames> Layers { get; }

    public static DecoderSignature Resolve(GenAiConfig config, IReadOnlyList<NodeInfo> inputs, IReadOnlyList<NodeInfo> outputs, string decoderPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        var check = new Checker(inputs, outputs);
        var decoder = config.Model.Decoder;
        var names = decoder.Inputs;
        var outputNames = decoder.Outputs;

        check.Input(names.InputIds, "model.decoder.inputs.input_ids", 2, OnnxElementType.Int64);
        check.Input(names.AttentionMask, "model.decoder.inputs.attention_mask", 2, OnnxElementType.Int64);
        string? positionIds = null;
        if (!string.IsNullOrEmpty(names.PositionIds) && check.HasInput(names.PositionIds))
        {
            check.Input(names.PositionIds, "model.decoder.inputs.position_ids", 2, OnnxElementType.Int64);
            positionIds = names.PositionIds;
        }

        var logits = check.Output(outputNames.Logits, "model.decoder.outputs.logits", 3, OnnxElementType.Float, OnnxElementType.Float16);
        check.FixedDim(logits, 2, config.Model.VocabSize, "model.vocab_size");

        var layers = new KvNames[decoder.NumHiddenLayers];
        OnnxElementType? kvType = null;
        for (var layer = 0; layer < layers.Length; layer++)
        {
            layers[layer] = new KvNames(
                GenAiConfigValidator.LayerName(names.PastKeyNames, layer),
                GenAiConfigValidator.LayerName(names.PastValueNames, layer),
                GenAiConfigValidator.LayerName(outputNames.PresentKeyNames, layer),
                GenAiConfigValidator.LayerName(outputNames.PresentValueNames, layer));
            var kv = new[]
            {
                check.Input(layers[layer].PastKey, $"model.decoder.inputs.past_key_names \"{names.PastKeyNames}\"", KvRank, KvTypes),
                check.Input(layers[layer].PastValue, $"model.decoder.inputs.past_value_names \"{names.PastValueNames}\"", KvRank, KvTypes),
                check.Output(layers[layer].PresentKey, $"model.decoder.outputs.present_key_names \"{outputNames.PresentKeyNames}\"", KvRank, KvTypes),
                check.Output(layers[layer].PresentValue, $"model.decoder.outputs.present_value_names \"{outputNames.PresentValueNames}\"", KvRank, KvTypes),
            };
            foreach (var node in kv.OfType<NodeInfo>())
            {
                kvType ??= node.ElementType;
                if (node.ElementType != kvType)
                {
                    check.Fail($"'{node.Name}' is {node.ElementType} but the other KV tensors are {kvType}");
                }

                check.FixedDim(node, KvHeadsAxis, decoder.NumKeyValueHeads, "model.decoder.num_key_value_heads");
                check.FixedDim(node, KvHeadSizeAxis, decoder.HeadSize, "model.decoder.head_size");
            }
        }

        var extraLayer = GenAiConfigValidator.LayerName(names.PastKeyNames, layers.Length);
        if (check.HasInput(extraLayer))
        {
            check.Fail($"the graph has input '{extraLayer}', so more than the {layers.Length} layers model.decoder.num_hidden_layers says");
        }

        check.NoUnknownInputs();
        if (check.Problems.Count > 0)
        {
            throw new ModelDirectoryException(
                $"{decoderPath} does not match genai_config.json: {string.Join("; ", check.Problems)}.");
        }

        return new DecoderSignature(
            names.InputIds, names.AttentionMask, positionIds, outputNames.Logits, logits!.ElementType,
            logits.Shape[1] == 1, kvType!.Value, layers);
    }

    /// <summary>Names of one layer's KV tensors.</summary>
    internal sealed record KvNames(string PastKey, string PastValue, string PresentKey, string PresentValue);

    /// <summary>Collects every disagreement so one error lists them all.</summary>
    private sealed class Checker(IReadOnlyList<NodeInfo> inputs, IReadOnlyList<NodeInfo> outputs)
    {
        private readonly HashSet<string> _usedInputs = new(StringComparer.Ordinal);

        public List<string> Problems { get; } = [];

        public bool HasInput(string name) => inputs.Any(node => node.Name == name);

        public NodeInfo? Input(string name, string field, int rank, params OnnxElementType[] allowed)
        {
            _usedInputs.Add(name);
            return Find(inputs, "input", name, field, rank, allowed);
        }

        public NodeInfo? Output(string name, string field, int rank, params OnnxElementType[] allowed) =>
            Find(outputs, "output", name, field, rank, allowed);

        public void FixedDim(NodeInfo? node, int axis, int expected, string field)
        {
            if (node is null || node.Shape.Length <= axis)
            {
                return;
            }

            var actual = node.Shape[axis];
            if (actual >= 0 && actual != expected)
            {
                Fail($"'{node.Name}' has dimension {axis} = {actual} but {field} is {expected}");
            }
        }

        public void NoUnknownInputs()
        {
            foreach (var node in inputs.Where(node => !_usedInputs.Contains(node.Name)))
            {
                Fail($"the graph needs input '{node.Name}', which genai_config.json does not describe");
            }
        }

        public void Fail(string problem) => Problems.Add(problem);

        private NodeInfo? Find(IReadOnlyList<NodeInfo> nodes, string kind, string name, string field, int rank, OnnxElementType[] allowed)
        {
            var node = nodes.FirstOrDefault(n => n.Name == name);
            if (node is null)
            {
                Fail($"no graph {kind} '{name}' (from {field}); the graph's {kind}s are {string.Join(", ", nodes.Select(n => n.Name))}");
                return null;
            }

            if (!allowed.Contains(node.ElementType))
            {
                Fail($"{kind} '{name}' is {node.ElementType}, expected {string.Join(" or ", allowed)}");
            }

            if (node.Shape.Length != rank)
            {
                Fail($"{kind} '{name}' has rank {node.Shape.Length}, expected {rank}");
            }

            return node;
        }
    }
}
