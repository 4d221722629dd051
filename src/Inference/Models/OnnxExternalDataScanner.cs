using System.Globalization;
using System.Text;

namespace Appliance.Inference.Models;

/// <summary>
/// Lists the external-data references of an ONNX model's initializers by walking the protobuf on disk.
/// Inline tensor bytes are skipped with seeks, so a model with large inline weights is never read into memory.
/// Field numbers from onnx.proto: ModelProto.graph = 7, GraphProto.initializer = 5, TensorProto.name = 8,
/// TensorProto.external_data = 13 (StringStringEntryProto key = 1, value = 2), TensorProto.data_location = 14.
/// </summary>
public static class OnnxExternalDataScanner
{

    public static IReadOnlyList<ExternalTensorData> Scan(string modelPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new ModelDirectoryException($"{modelPath}: decoder model file is missing.");
        }

        using var stream = new FileStream(modelPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var reader = new ProtobufStreamReader(stream, modelPath);
        var found = new List<ExternalTensorData>();
        while (reader.TryReadField(stream.Length, out var field, out var wireType))
        {
            if (field == OnnxFields.Model.Graph && wireType == OnnxFields.Wire.LengthDelimited)
            {
                ScanGraph(reader, reader.ReadMessageEnd(), found);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return found;
    }

    private static void ScanGraph(ProtobufStreamReader reader, long end, List<ExternalTensorData> found)
    {
        while (reader.TryReadField(end, out var field, out var wireType))
        {
            if (field == OnnxFields.Graph.Initializer && wireType == OnnxFields.Wire.LengthDelimited)
            {
                var tensor = ScanTensor(reader, reader.ReadMessageEnd());
                if (tensor is not null)
                {
                    found.Add(tensor);
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    private static ExternalTensorData? ScanTensor(ProtobufStreamReader reader, long end)
    {
        var name = string.Empty;
        var external = false;
        string? location = null;
        long offset = 0;
        long? length = null;
        while (reader.TryReadField(end, out var field, out var wireType))
        {
            switch (field)
            {
                case OnnxFields.Tensor.Name when wireType == OnnxFields.Wire.LengthDelimited:
                    name = reader.ReadString();
                    break;
                case OnnxFields.Tensor.DataLocation when wireType == OnnxFields.Wire.Varint:
                    external = reader.ReadVarint() == OnnxFields.Tensor.LocationExternal;
                    break;
                case OnnxFields.Tensor.ExternalData when wireType == OnnxFields.Wire.LengthDelimited:
                    var (key, value) = ReadEntry(reader, reader.ReadMessageEnd());
                    switch (key)
                    {
                        case "location":
                            location = value;
                            break;
                        case "offset":
                            offset = ParseNumber(reader.SourceName, name, key, value);
                            break;
                        case "length":
                            length = ParseNumber(reader.SourceName, name, key, value);
                            break;
                    }

                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        if (!external)
        {
            return null;
        }

        if (string.IsNullOrEmpty(location))
        {
            throw new ModelDirectoryException(
                $"{reader.SourceName}: initializer '{name}' is marked external but names no data file (external_data 'location').");
        }

        return new ExternalTensorData(name, location, offset, length);
    }

    private static (string Key, string Value) ReadEntry(ProtobufStreamReader reader, long end)
    {
        var key = string.Empty;
        var value = string.Empty;
        while (reader.TryReadField(end, out var field, out var wireType))
        {
            if (field == OnnxFields.StringStringEntry.Key && wireType == OnnxFields.Wire.LengthDelimited)
            {
                key = reader.ReadString();
            }
            else if (field == OnnxFields.StringStringEntry.Value && wireType == OnnxFields.Wire.LengthDelimited)
            {
                value = reader.ReadString();
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return (key, value);
    }

    private static long ParseNumber(string sourceName, string tensor, string key, string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ModelDirectoryException(
                $"{sourceName}: initializer '{tensor}' has external_data '{key}' = '{value}', which is not a non-negative integer.");

    /// <summary>Just enough of the protobuf wire format to walk fields and skip what is not needed.</summary>
    private sealed class ProtobufStreamReader(Stream stream, string sourceName)
    {
        public string SourceName { get; } = sourceName;

        public bool TryReadField(long end, out int field, out int wireType)
        {
            var position = stream.Position;
            if (position >= end)
            {
                if (position > end)
                {
                    throw Malformed("a field runs past the end of its enclosing message");
                }

                field = 0;
                wireType = 0;
                return false;
            }

            var tag = ReadVarint();
            field = (int)(tag >> 3);
            wireType = (int)(tag & 7);
            if (field == 0)
            {
                throw Malformed("field number 0");
            }

            return true;
        }

        public ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = stream.ReadByte();
                if (b < 0)
                {
                    throw Malformed("the file ends inside a varint");
                }

                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }

            throw Malformed("a varint longer than 10 bytes");
        }

        /// <summary>Reads a length prefix and returns the absolute end position of the message that follows.</summary>
        public long ReadMessageEnd()
        {
            var length = ReadVarint();
            var end = stream.Position + (long)length;
            if (length > (ulong)stream.Length || end > stream.Length)
            {
                throw Malformed($"a {length}-byte field extends past the end of the file");
            }

            return end;
        }

        public string ReadString()
        {
            var end = ReadMessageEnd();
            var bytes = new byte[end - stream.Position];
            stream.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        public void Skip(int wireType)
        {
            switch (wireType)
            {
                case OnnxFields.Wire.Varint:
                    ReadVarint();
                    break;
                case OnnxFields.Wire.Fixed64:
                    SeekTo(stream.Position + 8);
                    break;
                case OnnxFields.Wire.LengthDelimited:
                    SeekTo(ReadMessageEnd());
                    break;
                case OnnxFields.Wire.Fixed32:
                    SeekTo(stream.Position + 4);
                    break;
                default:
                    throw Malformed($"unsupported wire type {wireType}");
            }
        }

        private void SeekTo(long position)
        {
            if (position > stream.Length)
            {
                throw Malformed("the file ends inside a field");
            }

            stream.Position = position;
        }

        private ModelDirectoryException Malformed(string what) =>
            new($"{SourceName}: not a valid ONNX model: {what} (byte {stream.Position}).");
    }
}
