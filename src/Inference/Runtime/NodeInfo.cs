using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Runtime;

/// <summary>A graph input or output: name, element type and shape (-1 = dynamic, with its symbolic name when it has one).</summary>
public sealed record NodeInfo(string Name, OnnxElementType ElementType, long[] Shape, string?[] SymbolicDims)
{
    /// <summary>The session's inputs or outputs in graph order; only tensors are supported.</summary>
    public static NodeInfo[] Read(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata, string kind)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(metadata);
        return [.. names.Select(name =>
        {
            var node = metadata[name];
            if (!node.IsTensor)
            {
                throw new NotSupportedException($"Model {kind} '{name}' is not a tensor ({node.OnnxValueType}); only tensor inputs and outputs are supported.");
            }

            return new NodeInfo(
                name,
                (OnnxElementType)node.ElementDataType,
                [.. node.Dimensions.Select(d => (long)d)],
                [.. node.SymbolicDimensions.Select(s => string.IsNullOrEmpty(s) ? null : s)]);
        })];
    }
}
