using Appliance.Quantize.Tests.Onnx;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>A converted model.onnx decoded just enough for tests: nodes by op type, initializers by name.</summary>
internal sealed class OnnxGraph
{
    private readonly ProtoMessage graph;

    public OnnxGraph(string modelDirectory)
    {
        graph = ProtoMessage.Load(Path.Combine(modelDirectory, "model.onnx")).Message(7);
        Nodes = graph.Messages(1);
        Initializers = graph.Messages(5).ToDictionary(t => t.String(8));
    }

    public ProtoMessage[] Nodes { get; }

    public Dictionary<string, ProtoMessage> Initializers { get; }

    public ProtoMessage[] NodesOf(string opType) => [.. Nodes.Where(n => n.String(4) == opType)];

    public static string[] Inputs(ProtoMessage node) => node.Strings(1);

    public static Dictionary<string, long> IntAttributes(ProtoMessage node) =>
        node.Messages(5).Where(a => a.Has(3)).ToDictionary(a => a.String(1), a => a.Int(3));

    public long[] Shape(string initializer) => Initializers[initializer].Ints(1);
}
