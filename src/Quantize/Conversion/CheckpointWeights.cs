using Appliance.Inference.Runtime;
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

    /// <summary>
    /// PyTorch Linear weights [out_i, in] of projections that read the same input, stacked along out and stored
    /// transposed as one MatMul B operand [in, sum of out_i]. One MatMul then reads every weight once per token and
    /// ONNX Runtime dispatches one kernel instead of one per projection.
    /// </summary>
    public string LinearWeight(string initializerName, int inFeatures, params ReadOnlySpan<LinearPart> parts)
    {
        var (rows, origin) = StackedRows(initializerName, inFeatures, parts);
        var totalOut = TotalOutFeatures(parts);
        var transposed = new float[rows.Length];
        TensorEncoding.TransposeInto(rows, totalOut, inFeatures, transposed, totalOut, 0);
        return Store(initializerName, [inFeatures, totalOut], transposed, origin);
    }

    /// <summary>
    /// The projections stacked along out in PyTorch's layout, [sum of out_i, in] row-major: what MatMulNBits quantizes
    /// (its N rows are output features, each blocked along K = in). Returns the values and the name errors should use.
    /// </summary>
    public (float[] Rows, string Origin) StackedRows(string initializerName, int inFeatures, params ReadOnlySpan<LinearPart> parts)
    {
        var stacked = new float[(long)inFeatures * TotalOutFeatures(parts)];
        var offset = 0L;
        foreach (var part in parts)
        {
            var values = Read(part.TensorName, part.OutFeatures, inFeatures);
            values.CopyTo(stacked.AsSpan((int)offset));
            offset += values.Length;
        }

        return (stacked, Origin(initializerName, parts));
    }

    /// <summary>A [rows, cols] checkpoint tensor as floats (embedding or lm_head table), for quantization.</summary>
    public float[] Matrix(string tensorName, int rows, int cols) => Read(tensorName, rows, cols);

    /// <summary>The biases [out_i] of the projections stacked by <see cref="LinearWeight"/>, in the same order.</summary>
    public string LinearBias(string initializerName, params ReadOnlySpan<LinearPart> parts)
    {
        var stacked = new float[TotalOutFeatures(parts)];
        var offset = 0;
        foreach (var part in parts)
        {
            Read(part.TensorName, part.OutFeatures).CopyTo(stacked.AsSpan(offset));
            offset += part.OutFeatures;
        }

        return Store(initializerName, [stacked.Length], stacked, Origin(initializerName, parts));
    }

    /// <summary>A 1-D tensor (norm gamma) of the given length.</summary>
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

    private static int TotalOutFeatures(ReadOnlySpan<LinearPart> parts)
    {
        if (parts.IsEmpty)
        {
            throw new ArgumentException("At least one projection is needed.", nameof(parts));
        }

        var total = 0;
        foreach (var part in parts)
        {
            total += part.OutFeatures;
        }

        return total;
    }

    // Names the checkpoint tensor(s) behind an initializer in errors (e.g. a value that does not fit float16).
    private static string Origin(string initializerName, ReadOnlySpan<LinearPart> parts)
    {
        if (parts.Length == 1)
        {
            return parts[0].TensorName;
        }

        var names = new string[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            names[i] = parts[i].TensorName;
        }

        return $"{initializerName} (stacked from {string.Join(", ", names)})";
    }

    private string Store(string initializerName, long[] shape, float[] values, string tensorName) =>
        TensorEncoding.AddInitializer(writer, initializerName, ElementType, shape, values, tensorName);
}
