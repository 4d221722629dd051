using System.Globalization;
using Appliance.Inference.Runtime;
using OnnxFields = Appliance.Inference.Models.OnnxFields;

namespace Appliance.Quantize.Onnx;

/// <summary>Encodes TensorProto messages, with the data inline (raw_data) or as a reference into the external data file.</summary>
internal static class OnnxTensorEncoder
{
    public static ProtoWriter Inline(string? name, OnnxElementType type, ReadOnlySpan<long> shape, ReadOnlySpan<byte> raw)
    {
        var tensor = Header(name, type, shape);
        tensor.WriteBytes(OnnxFields.Tensor.RawData, raw);
        return tensor;
    }

    public static ProtoWriter External(string name, OnnxElementType type, ReadOnlySpan<long> shape, string location, long offset, long length)
    {
        var tensor = Header(name, type, shape);
        WriteEntry(tensor, OnnxFields.Tensor.ExternalData, "location", location);
        WriteEntry(tensor, OnnxFields.Tensor.ExternalData, "offset", offset.ToString(CultureInfo.InvariantCulture));
        WriteEntry(tensor, OnnxFields.Tensor.ExternalData, "length", length.ToString(CultureInfo.InvariantCulture));
        tensor.WriteInt64(OnnxFields.Tensor.DataLocation, OnnxFields.Tensor.LocationExternal);
        return tensor;
    }

    /// <summary>Writes a StringStringEntryProto as field <paramref name="field"/> of <paramref name="parent"/>.</summary>
    public static void WriteEntry(ProtoWriter parent, int field, string key, string value)
    {
        var entry = new ProtoWriter();
        entry.WriteString(OnnxFields.StringStringEntry.Key, key);
        entry.WriteString(OnnxFields.StringStringEntry.Value, value);
        parent.WriteMessage(field, entry);
    }

    /// <summary>Throws when the byte count does not match the shape, naming the tensor.</summary>
    public static void CheckLength(string name, OnnxElementType type, ReadOnlySpan<long> shape, long byteLength)
    {
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor '{name}': dimension {dim} is negative in shape [{string.Join(", ", shape.ToArray())}].", nameof(shape));
            }

            count = checked(count * dim);
        }

        var expected = type.ByteLength(count);
        if (expected != byteLength)
        {
            throw new ArgumentException(
                $"Tensor '{name}': {type} shape [{string.Join(", ", shape.ToArray())}] needs {expected} bytes but {byteLength} were given.",
                nameof(byteLength));
        }
    }

    private static ProtoWriter Header(string? name, OnnxElementType type, ReadOnlySpan<long> shape)
    {
        var tensor = new ProtoWriter();
        foreach (var dim in shape)
        {
            tensor.WriteInt64(OnnxFields.Tensor.Dims, dim);
        }

        tensor.WriteInt64(OnnxFields.Tensor.DataType, (long)type);
        if (name is not null)
        {
            tensor.WriteString(OnnxFields.Tensor.Name, name);
        }

        return tensor;
    }
}
