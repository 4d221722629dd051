using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;
using OnnxFields = Appliance.Inference.Models.OnnxFields;

namespace Appliance.Quantize.Onnx;

/// <summary>
/// Builds an ONNX model (ModelProto) with its weights in an external data file next to it. Initializer bytes are
/// streamed to the data file as they are added, so multi-gigabyte models never sit in memory; the graph itself is
/// encoded and written by <see cref="Save"/>.
/// </summary>
public sealed class OnnxModelWriter : IDisposable
{
    /// <summary>Tensors smaller than this stay inline in the model file.</summary>
    public const int InlineLimitBytes = 1024;

    private const long IrVersion = 10;
    private const string ProducerName = "appliance-quantize";
    private const string ProducerVersion = "1";

    private readonly string _modelPath;
    private readonly string _externalDataFileName;
    private readonly OnnxExternalDataFile _dataFile;
    private readonly Dictionary<string, long> _opsets = new(StringComparer.Ordinal) { [""] = 21, ["com.microsoft"] = 1 };
    private readonly List<ProtoWriter> _inputs = [];
    private readonly List<ProtoWriter> _outputs = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<KeyValuePair<string, string>> _metadata = [];
    private readonly OnnxGraphNames _names = new();
    private bool _closed;

    public OnnxModelWriter(string modelPath, string externalDataFileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(externalDataFileName);
        if (Path.GetFileName(externalDataFileName) != externalDataFileName)
        {
            throw new ArgumentException($"External data file name '{externalDataFileName}' must be a bare file name (it lives next to the model).", nameof(externalDataFileName));
        }

        _modelPath = Path.GetFullPath(modelPath);
        _externalDataFileName = externalDataFileName;
        var directory = Path.GetDirectoryName(_modelPath)!;
        Directory.CreateDirectory(directory);
        _dataFile = new OnnxExternalDataFile(Path.Combine(directory, externalDataFileName));
    }

    public string GraphName { get; set; } = "main";

    /// <summary>Sets the opset version imported for <paramref name="domain"/> ("" = the default ONNX domain).</summary>
    public void AddOpset(string domain, long version)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ThrowIfClosed();
        _opsets[domain] = version;
    }

    public void AddInput(string name, OnnxElementType type, params OnnxDim[] shape)
    {
        ThrowIfClosed();
        _names.DeclareInput(name);
        _inputs.Add(EncodeValueInfo(name, type, shape));
    }

    public void AddOutput(string name, OnnxElementType type, params OnnxDim[] shape)
    {
        ThrowIfClosed();
        _names.DeclareOutput(name);
        _outputs.Add(EncodeValueInfo(name, type, shape));
    }

    /// <summary>Adds a constant tensor; its bytes go to the external data file now unless smaller than <see cref="InlineLimitBytes"/>.</summary>
    /// <returns><paramref name="name"/>, so calls can be nested in node input lists.</returns>
    public string AddInitializer(string name, OnnxElementType type, ReadOnlySpan<long> shape, ReadOnlySpan<byte> rawLittleEndian)
    {
        ThrowIfClosed();
        OnnxTensorEncoder.CheckLength(name, type, shape, rawLittleEndian.Length);
        _names.DeclareInitializer(name);
        if (rawLittleEndian.Length < InlineLimitBytes)
        {
            _initializers.Add(OnnxTensorEncoder.Inline(name, type, shape, rawLittleEndian));
        }
        else
        {
            var offset = _dataFile.Append(rawLittleEndian);
            _initializers.Add(OnnxTensorEncoder.External(name, type, shape, _externalDataFileName, offset, rawLittleEndian.Length));
        }

        return name;
    }

    // Both target platforms (x64, ARM64) are little-endian, so the in-memory bytes are the ONNX raw_data bytes.
    public string AddInitializer(string name, ReadOnlySpan<long> shape, ReadOnlySpan<float> data) =>
        AddInitializer(name, OnnxElementType.Float, shape, MemoryMarshal.AsBytes(data));

    public string AddInitializer(string name, ReadOnlySpan<long> shape, ReadOnlySpan<long> data) =>
        AddInitializer(name, OnnxElementType.Int64, shape, MemoryMarshal.AsBytes(data));

    /// <summary>
    /// Appends a node; nodes must be added in topological order. An empty input name omits an optional input; an
    /// empty output name leaves an optional output unproduced (nothing can read it).
    /// </summary>
    public void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, string? name = null, string domain = "", params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(attributes);
        ThrowIfClosed();
        var label = name ?? $"{opType} #{_nodes.Count}";
        if (!_opsets.ContainsKey(domain))
        {
            throw new InvalidOperationException($"Node '{label}' uses domain '{domain}' but no opset is imported for it; call AddOpset first.");
        }

        _names.DeclareNode(label, inputs, outputs);

        var node = new ProtoWriter();
        foreach (var input in inputs)
        {
            node.WriteString(OnnxFields.Node.Input, input);
        }

        foreach (var output in outputs)
        {
            node.WriteString(OnnxFields.Node.Output, output);
        }

        if (name is not null)
        {
            node.WriteString(OnnxFields.Node.Name, name);
        }

        node.WriteString(OnnxFields.Node.OpType, opType);
        foreach (var attribute in attributes)
        {
            var encoded = new ProtoWriter();
            attribute.Encode(encoded);
            node.WriteMessage(OnnxFields.Node.Attribute, encoded);
        }

        if (domain.Length > 0)
        {
            node.WriteString(OnnxFields.Node.Domain, domain);
        }

        _nodes.Add(node);
    }

    public void AddMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        ThrowIfClosed();
        _metadata.Add(new(key, value));
    }

    /// <summary>Closes the data file and writes the model file. The writer cannot be used afterwards.</summary>
    public void Save()
    {
        ThrowIfClosed();
        _names.CheckOutputsProduced();
        _closed = true;
        _dataFile.Dispose();

        var model = new ProtoWriter();
        model.WriteInt64(OnnxFields.Model.IrVersion, IrVersion);
        model.WriteString(OnnxFields.Model.ProducerName, ProducerName);
        model.WriteString(OnnxFields.Model.ProducerVersion, ProducerVersion);
        model.WriteMessage(OnnxFields.Model.Graph, EncodeGraph());
        foreach (var (domain, version) in _opsets.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            var opset = new ProtoWriter();
            opset.WriteString(OnnxFields.OperatorSetId.Domain, domain);
            opset.WriteInt64(OnnxFields.OperatorSetId.Version, version);
            model.WriteMessage(OnnxFields.Model.OpsetImport, opset);
        }

        foreach (var (key, value) in _metadata)
        {
            OnnxTensorEncoder.WriteEntry(model, OnnxFields.Model.MetadataProps, key, value);
        }

        using var file = new FileStream(_modelPath, FileMode.Create, FileAccess.Write, FileShare.None);
        file.Write(model.WrittenSpan);
    }

    public void Dispose()
    {
        _closed = true;
        _dataFile.Dispose();
    }

    private ProtoWriter EncodeGraph()
    {
        var graph = new ProtoWriter();
        foreach (var node in _nodes)
        {
            graph.WriteMessage(OnnxFields.Graph.Node, node);
        }

        graph.WriteString(OnnxFields.Graph.Name, GraphName);
        foreach (var initializer in _initializers)
        {
            graph.WriteMessage(OnnxFields.Graph.Initializer, initializer);
        }

        foreach (var input in _inputs)
        {
            graph.WriteMessage(OnnxFields.Graph.Input, input);
        }

        foreach (var output in _outputs)
        {
            graph.WriteMessage(OnnxFields.Graph.Output, output);
        }

        return graph;
    }

    private static ProtoWriter EncodeValueInfo(string name, OnnxElementType type, OnnxDim[] shape)
    {
        var dims = new ProtoWriter();
        foreach (var dim in shape)
        {
            var dimension = new ProtoWriter();
            if (dim.Symbol is { } symbol)
            {
                dimension.WriteString(OnnxFields.Dimension.DimParam, symbol);
            }
            else
            {
                dimension.WriteInt64(OnnxFields.Dimension.DimValue, dim.Size ?? throw new ArgumentException($"Value '{name}' has an uninitialised dimension.", nameof(shape)));
            }

            dims.WriteMessage(OnnxFields.TensorShape.Dim, dimension);
        }

        var tensorType = new ProtoWriter();
        tensorType.WriteInt64(OnnxFields.TensorType.ElemType, (long)type);
        tensorType.WriteMessage(OnnxFields.TensorType.Shape, dims);
        var typeProto = new ProtoWriter();
        typeProto.WriteMessage(OnnxFields.TypeProto.TensorType, tensorType);
        var valueInfo = new ProtoWriter();
        valueInfo.WriteString(OnnxFields.ValueInfo.Name, name);
        valueInfo.WriteMessage(OnnxFields.ValueInfo.Type, typeProto);
        return valueInfo;
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);
}
