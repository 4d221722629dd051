using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;
using Appliance.Quantize.Onnx;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Onnx;

public sealed class OnnxModelWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new("onnx-writer");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Model_header_has_ir_version_producer_and_default_opsets()
    {
        var path = WriteMatMulAdd(out _);
        var model = ProtoMessage.Load(path);

        Assert.Equal(10, model.Int(1));
        Assert.Equal("appliance-quantize", model.String(2));
        var opsets = model.Messages(8).ToDictionary(o => o.Has(1) ? o.String(1) : "", o => o.Int(2));
        Assert.Equal(21, opsets[""]);
        Assert.Equal(1, opsets["com.microsoft"]);
        Assert.Equal(new Dictionary<string, string> { ["purpose"] = "test" }, model.Entries(14));
    }

    [Fact]
    public void AddOpset_overrides_the_default_version()
    {
        var path = _dir.Combine("m.onnx");
        using (var writer = new OnnxModelWriter(path, "m.onnx.data"))
        {
            writer.AddOpset("", 17);
            writer.AddInput("x", OnnxElementType.Float, 1);
            writer.AddOutput("x", OnnxElementType.Float, 1);
            writer.Save();
        }

        var opsets = ProtoMessage.Load(path).Messages(8).ToDictionary(o => o.Has(1) ? o.String(1) : "", o => o.Int(2));
        Assert.Equal(17, opsets[""]);
    }

    [Fact]
    public void Graph_inputs_outputs_and_nodes_are_encoded_with_onnx_field_numbers()
    {
        var graph = ProtoMessage.Load(WriteMatMulAdd(out _)).Message(7);

        Assert.Equal("test-graph", graph.String(2));
        var input = graph.Messages(11).Single();
        Assert.Equal("x", input.String(1));
        var tensorType = input.Message(2).Message(1);
        Assert.Equal((long)OnnxElementType.Float, tensorType.Int(1));
        var dims = tensorType.Message(2).Messages(1);
        Assert.Equal("batch", dims[0].String(2));
        Assert.Equal(300, dims[1].Int(1));

        var nodes = graph.Messages(1);
        Assert.Equal(["MatMul", "Add"], nodes.Select(n => n.String(4)));
        Assert.Equal(["x", "w"], nodes[0].Strings(1));
        Assert.Equal(["xw"], nodes[0].Strings(2));
        Assert.Equal("mm", nodes[0].String(3));
        Assert.False(nodes[1].Has(7));
    }

    [Fact]
    public void Large_initializers_go_to_the_data_file_at_4096_aligned_offsets()
    {
        var path = WriteMatMulAdd(out var weights);
        var initializers = ProtoMessage.Load(path).Message(7).Messages(5).ToDictionary(t => t.String(8));
        var data = File.ReadAllBytes(_dir.Combine("model.onnx.data"));

        var w = initializers["w"];
        Assert.Equal([300, 2], w.Ints(1));
        Assert.Equal((long)OnnxElementType.Float, w.Int(2));
        Assert.Equal(1, w.Int(14));
        Assert.False(w.Has(9));
        var external = w.Entries(13);
        Assert.Equal("model.onnx.data", external["location"]);
        var offset = long.Parse(external["offset"], System.Globalization.CultureInfo.InvariantCulture);
        var length = long.Parse(external["length"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, offset % 4096);
        Assert.Equal(weights.Length * 4, length);
        Assert.Equal(MemoryMarshal.AsBytes(weights.AsSpan()).ToArray(), data.AsSpan((int)offset, (int)length).ToArray());

        var w2 = initializers["w2"].Entries(13);
        var offset2 = long.Parse(w2["offset"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, offset2 % 4096);
        Assert.True(offset2 >= offset + length);
    }

    [Fact]
    public void Small_initializers_stay_inline_as_raw_data()
    {
        var bias = ProtoMessage.Load(WriteMatMulAdd(out _)).Message(7).Messages(5).Single(t => t.String(8) == "b");

        Assert.False(bias.Has(13));
        Assert.Equal(MemoryMarshal.AsBytes(new float[] { 0.5f, -1f }.AsSpan()).ToArray(), bias.Bytes(9));
    }

    [Fact]
    public void Attributes_and_domains_are_encoded()
    {
        var path = _dir.Combine("attrs.onnx");
        using (var writer = new OnnxModelWriter(path, "attrs.onnx.data"))
        {
            writer.AddInput("x", OnnxElementType.Float, "n", 4);
            writer.AddNode("Custom", ["x", ""], ["y"], "c", "com.microsoft",
                OnnxAttribute.Int("i", -3),
                OnnxAttribute.Float("f", 1.5f),
                OnnxAttribute.String("s", "héllo"),
                OnnxAttribute.Ints("is", 1, 300, -1),
                OnnxAttribute.Floats("fs", 0.25f, 2f),
                OnnxAttribute.Tensor("t", OnnxElementType.Int64, [1], BitConverter.GetBytes(7L)));
            writer.AddOutput("y", OnnxElementType.Float, "n", 4);
            writer.Save();
        }

        var node = ProtoMessage.Load(path).Message(7).Messages(1).Single();
        Assert.Equal("com.microsoft", node.String(7));
        Assert.Equal(["x", ""], node.Strings(1));
        var attributes = node.Messages(5).ToDictionary(a => a.String(1));
        Assert.Equal(-3, attributes["i"].Int(3));
        Assert.Equal(2, attributes["i"].Int(20));
        Assert.Equal(1.5f, attributes["f"].Float(2));
        Assert.Equal(1, attributes["f"].Int(20));
        Assert.Equal("héllo", attributes["s"].String(4));
        Assert.Equal(3, attributes["s"].Int(20));
        Assert.Equal([1, 300, -1], attributes["is"].PackedInts(8));
        Assert.Equal(7, attributes["is"].Int(20));
        Assert.Equal(6, attributes["fs"].Int(20));
        var tensor = attributes["t"].Message(5);
        Assert.Equal((long)OnnxElementType.Int64, tensor.Int(2));
        Assert.Equal(BitConverter.GetBytes(7L), tensor.Bytes(9));
        Assert.Equal(4, attributes["t"].Int(20));
    }

    [Fact]
    public void Empty_output_names_leave_optional_outputs_unused_in_any_number_of_nodes()
    {
        var path = _dir.Combine("optional.onnx");
        using (var writer = new OnnxModelWriter(path, "optional.onnx.data"))
        {
            writer.AddInput("x", OnnxElementType.Float, 4);
            writer.AddInput("skip", OnnxElementType.Float, 4);
            writer.AddNode("SkipSimplifiedLayerNormalization", ["x", "skip", writer.AddInitializer("g", [4], new float[4])], ["n0", "", "", "sum0"], "norm0", "com.microsoft");
            writer.AddNode("SkipSimplifiedLayerNormalization", ["n0", "sum0", "g"], ["n1", "", "", "sum1"], "norm1", "com.microsoft");
            writer.AddOutput("n1", OnnxElementType.Float, 4);
            writer.Save();
        }

        var nodes = ProtoMessage.Load(path).Message(7).Messages(1);
        Assert.Equal(["n0", "", "", "sum0"], nodes[0].Strings(2));
        Assert.Equal(["n1", "", "", "sum1"], nodes[1].Strings(2));
    }

    [Fact]
    public void Shape_and_byte_count_mismatch_names_the_tensor()
    {
        using var writer = new OnnxModelWriter(_dir.Combine("m.onnx"), "m.onnx.data");

        var error = Assert.Throws<ArgumentException>(() => writer.AddInitializer("weights", [2, 3], new float[5]));

        Assert.Contains("'weights'", error.Message, StringComparison.Ordinal);
        Assert.Contains("24 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Four_bit_tensors_pack_two_values_per_byte()
    {
        using var writer = new OnnxModelWriter(_dir.Combine("m.onnx"), "m.onnx.data");

        writer.AddInitializer("q", OnnxElementType.UInt4, [3, 3], new byte[5]);
        Assert.Throws<ArgumentException>(() => writer.AddInitializer("q2", OnnxElementType.Int4, [3, 3], new byte[9]));
    }

    [Fact]
    public void Node_reading_an_unknown_value_names_node_and_value()
    {
        using var writer = new OnnxModelWriter(_dir.Combine("m.onnx"), "m.onnx.data");
        writer.AddInput("x", OnnxElementType.Float, 1);

        var error = Assert.Throws<InvalidOperationException>(() => writer.AddNode("Add", ["x", "nope"], ["y"], "add0"));

        Assert.Contains("'add0'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_value_names_are_rejected()
    {
        using var writer = new OnnxModelWriter(_dir.Combine("m.onnx"), "m.onnx.data");
        writer.AddInput("x", OnnxElementType.Float, 1);

        var error = Assert.Throws<InvalidOperationException>(() => writer.AddInitializer("x", [1], new float[1]));
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unproduced_graph_output_fails_at_save()
    {
        using var writer = new OnnxModelWriter(_dir.Combine("m.onnx"), "m.onnx.data");
        writer.AddOutput("logits", OnnxElementType.Float, 1);

        var error = Assert.Throws<InvalidOperationException>(writer.Save);
        Assert.Contains("'logits'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_in_a_domain_without_opset_is_rejected()
    {
        using var writer = new OnnxModelWriter(_dir.Combine("m.onnx"), "m.onnx.data");
        writer.AddInput("x", OnnxElementType.Float, 1);

        var error = Assert.Throws<InvalidOperationException>(() => writer.AddNode("Foo", ["x"], ["y"], domain: "org.example"));
        Assert.Contains("org.example", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_cannot_be_used_after_save()
    {
        using var writer = new OnnxModelWriter(_dir.Combine("m.onnx"), "m.onnx.data");
        writer.AddInput("x", OnnxElementType.Float, 1);
        writer.AddOutput("x", OnnxElementType.Float, 1);
        writer.Save();

        Assert.Throws<ObjectDisposedException>(() => writer.AddMetadata("k", "v"));
    }

    private string WriteMatMulAdd(out float[] weights)
    {
        var path = _dir.Combine("model.onnx");
        weights = [.. Enumerable.Range(0, 600).Select(i => i * 0.001f)];
        using var writer = new OnnxModelWriter(path, "model.onnx.data") { GraphName = "test-graph" };
        writer.AddInput("x", OnnxElementType.Float, "batch", 300);
        writer.AddNode("MatMul", ["x", writer.AddInitializer("w", [300, 2], weights)], ["xw"], "mm");
        writer.AddInitializer("w2", [300, 2], weights);
        writer.AddNode("Add", ["xw", writer.AddInitializer("b", [2], [0.5f, -1f])], ["y"]);
        writer.AddOutput("y", OnnxElementType.Float, "batch", 2);
        writer.AddMetadata("purpose", "test");
        writer.Save();
        return path;
    }
}
