using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Onnx;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// Reads checkpoint tensors, checks their shapes against the config, stores them as graph initializers in the
/// target element type, and remembers which tensors were used so none is silently dropped.
/// </summary>
internal sealed class CheckpointWeights
{
    private readonly HfCheckpoint checkpoint;
    private readonly OnnxModelWriter writer;
    private readonly HashSet<string> consumed = new(StringComparer.Ordinal);

    public CheckpointWeights(HfCheckpoint checkpoint, OnnxModelWriter writer, OnnxElementType elementType)
    {
        this.checkpoint = checkpoint;
        this.writer = writer;
        ElementType = elementType;
    }

    public OnnxElementType ElementType { get; }

    public bool Contains(string tensorName) => checkpoint.Contains(tensorName);

    /// <summary>A PyTorch Linear weight [out, in] stored transposed as MatMul's B operand [in, out].</summary>
    public string LinearWeight(string tensorName, string initializerName, int outFeatures, int inFeatures)
    {
        var values = Read(tensorName, outFeatures, inFeatures);
        var transposed = TensorEncoding.Transpose(values, outFeatures, inFeatures);
        return Store(initializerName, [inFeatures, outFeatures], transposed, tensorName);
    }

    /// <summary>A 1-D tensor (norm gamma, bias) of the given length.</summary>
    public string Vector(string tensorName, string initializerName, int length) =>
        Store(initializerName, [length], Read(tensorName, length), tensorName);

    /// <summary>A tensor stored in the layout the checkpoint has it (embedding table [vocab, hidden]).</summary>
    public string AsIs(string tensorName, string initializerName, int rows, int cols) =>
        Store(initializerName, [rows, cols], Read(tensorName, rows, cols), tensorName);

    /// <summary>Records a tensor the graph deliberately does not store (e.g. a duplicate of a tied weight).</summary>
    public void MarkUsed(string tensorName) => consumed.Add(tensorName);

    /// <summary>Fails naming every checkpoint tensor the graph did not use (rotary inv_freq buffers excepted).</summary>
    public void EnsureAllUsed()
    {
        var unused = checkpoint.TensorNames
            .Where(name => !consumed.Contains(name) && !name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unused.Count > 0)
        {
            throw new ConversionException(
                $"Checkpoint {checkpoint.Directory} has tensors the {checkpoint.Config.ArchitectureName} graph does not use "
                + $"(unsupported variant?): {string.Join(", ", unused.Take(10))}{(unused.Count > 10 ? $" and {unused.Count - 10} more" : string.Empty)}.");
        }
    }

    private float[] Read(string tensorName, params long[] expectedShape)
    {
        var info = checkpoint.Describe(tensorName);
        if (!info.Shape.SequenceEqual(expectedShape))
        {
            throw new ConversionException(
                $"Tensor '{tensorName}' in {info.File} has shape [{string.Join(", ", info.Shape)}]; "
                + $"config.json implies [{string.Join(", ", expectedShape)}].");
        }

        consumed.Add(tensorName);
        return checkpoint.ReadFloat32(tensorName);
    }

    private string Store(string initializerName, long[] shape, float[] values, string tensorName) =>
        TensorEncoding.AddInitializer(writer, initializerName, ElementType, shape, values, tensorName);
}
