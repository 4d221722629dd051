using Appliance.Quantize.Onnx;
using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// Emits one linear projection (several stacked along their outputs when they read the same input): a float MatMul
/// over the transposed weights [in, out] (+ Add of the bias), or, in an int4/int8 model, one MatMulNBits over the
/// weights in PyTorch's [out, in] layout quantized along in, with the bias as its optional input.
/// </summary>
internal sealed class ProjectionEmitter(OnnxModelWriter writer, GraphEmitter graph, CheckpointWeights weights, WeightQuantizer quantizer, ConversionPrecision precision)
{
    /// <param name="node">Node name prefix, e.g. "/model/layers.0/attn/qkv_proj".</param>
    /// <param name="module">Initializer name prefix, e.g. "model.layers.0.self_attn.qkv_proj".</param>
    /// <param name="biases">The stacked projections' biases, or null when they have none.</param>
    public string Project(string node, string module, string input, int inFeatures, LinearPart[] parts, LinearPart[]? biases)
    {
        var format = precision.LinearFormat();
        if (!format.IsQuantized())
        {
            var weight = weights.LinearWeight($"{module}.MatMul.weight", inFeatures, parts);
            quantizer.StoredAsFloat(module, (long)inFeatures * OutFeatures(parts), weights.ElementType.ToString().ToLowerInvariant());
            var product = graph.Node("MatMul", $"{node}/MatMul", [input, weight]);
            return biases is null ? product : graph.Node("Add", $"{node}/Add", [product, weights.LinearBias($"{module}.Add.bias", biases)]);
        }

        var prefix = $"{module}.MatMulNBits";
        var (rows, origin) = weights.StackedRows(prefix, inFeatures, parts);
        var matrix = quantizer.Quantize(module, rows, OutFeatures(parts), inFeatures, format, origin);
        var bias = biases is null ? null : weights.LinearBias($"{prefix}.bias", biases);
        var output = $"{node}/MatMulNBits/output_0";
        QuantizedOperators.AddMatMulNBits(writer, $"{node}/MatMulNBits", input, output, matrix, $"{prefix}.weight", bias, quantizer.Recipe.AccuracyLevel);
        return output;
    }

    private static int OutFeatures(LinearPart[] parts) => parts.Sum(p => p.OutFeatures);
}
