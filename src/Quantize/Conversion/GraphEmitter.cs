using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Conversion;

/// <summary>Adds nodes with path-like unique names ("/model/layers.0/attn/q_proj/MatMul") and named outputs.</summary>
internal sealed class GraphEmitter
{
    public const string MicrosoftDomain = "com.microsoft";

    private readonly OnnxModelWriter writer;
    private readonly HashSet<string> int64Constants = new(StringComparer.Ordinal);

    public GraphEmitter(OnnxModelWriter writer)
    {
        this.writer = writer;
    }

    /// <summary>A standard-domain node with one output, named "{name}/output_0".</summary>
    public string Node(string opType, string name, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) =>
        DomainNode(opType, name, string.Empty, inputs, attributes);

    /// <summary>A node with one output in the given domain.</summary>
    public string DomainNode(string opType, string name, string domain, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes)
    {
        var output = $"{name}/output_0";
        writer.AddNode(opType, inputs, [output], name, domain, attributes);
        return output;
    }

    /// <summary>A node whose outputs are named by the caller ("" leaves an optional output unused).</summary>
    public void Node(string opType, string name, string domain, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params OnnxAttribute[] attributes) =>
        writer.AddNode(opType, inputs, outputs, name, domain, attributes);

    /// <summary>Splits the last axis into consecutive pieces of the given widths, named "{name}/output_{i}".</summary>
    public string[] Split(string name, string input, params long[] widths)
    {
        var outputs = new string[widths.Length];
        for (var i = 0; i < outputs.Length; i++)
        {
            outputs[i] = $"{name}/output_{i}";
        }

        writer.AddNode("Split", [input, Int64Constant(widths)], outputs, name, string.Empty, OnnxAttribute.Int("axis", -1));
        return outputs;
    }

    /// <summary>A shared int64 constant initializer (shapes, axes, slice bounds), added once per distinct value.</summary>
    public string Int64Constant(params long[] values)
    {
        var name = $"/model/constants/int64[{string.Join(",", values)}]";
        if (int64Constants.Add(name))
        {
            writer.AddInitializer(name, [values.Length], values.AsSpan());
        }

        return name;
    }
}
