using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace Appliance.Quantize.HuggingFace;

/// <summary>
/// Writes a .safetensors file. Tensor bytes stream to a side file as they are added, so memory stays at one
/// tensor; <see cref="Save"/> writes the header (padded to 8 bytes, as the reference writer does) and the data.
/// </summary>
public sealed class SafeTensorsWriter : IDisposable
{
    private const int EncodeChunkElements = 1 << 18;

    private readonly string _path;
    private readonly string _dataPath;
    private readonly List<Entry> _entries = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private FileStream? _data;
    private long _dataLength;

    public SafeTensorsWriter(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _dataPath = path + ".data-partial";
        _data = new FileStream(_dataPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
    }

    public void Add(string name, SafeTensorDType dtype, long[] shape, ReadOnlySpan<float> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        var data = _data ?? throw new InvalidOperationException($"{_path}: already saved; create a new writer.");
        if (name == "__metadata__" || !_names.Add(name))
        {
            throw new ArgumentException($"{_path}: tensor name \"{name}\" is reserved or already added.", nameof(name));
        }

        if (shape.Any(d => d < 0) || SafeTensorInfo.ElementCountOf(shape) != values.Length)
        {
            throw new ArgumentException(
                $"{_path}: tensor \"{name}\" has shape [{string.Join(", ", shape)}] but {values.Length} values.", nameof(values));
        }

        var elementSize = SafeTensorDTypes.ElementSize(dtype);
        var buffer = ArrayPool<byte>.Shared.Rent(EncodeChunkElements * elementSize);
        try
        {
            for (var done = 0; done < values.Length; done += EncodeChunkElements)
            {
                var chunk = values.Slice(done, Math.Min(EncodeChunkElements, values.Length - done));
                var bytes = buffer.AsSpan(0, chunk.Length * elementSize);
                FloatEncoding.Encode(dtype, chunk, bytes);
                data.Write(bytes);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var length = (long)values.Length * elementSize;
        _entries.Add(new Entry(name, dtype, (long[])shape.Clone(), _dataLength, _dataLength + length));
        _dataLength += length;
    }

    public void Save(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var data = _data ?? throw new InvalidOperationException($"{_path}: already saved.");
        var header = BuildHeader(metadata);
        using (var output = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            output.Write(length);
            output.Write(header);
            data.Position = 0;
            data.CopyTo(output);
        }

        data.Dispose();
        _data = null;
        File.Delete(_dataPath);
    }

    public void Dispose()
    {
        if (_data is not null)
        {
            _data.Dispose();
            _data = null;
            File.Delete(_dataPath);
        }
    }

    private byte[] BuildHeader(IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            foreach (var entry in _entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", SafeTensorDTypes.HeaderName(entry.DType));
                json.WriteStartArray("shape");
                foreach (var dim in entry.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(entry.Begin);
                json.WriteNumberValue(entry.End);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Pad with spaces so the data buffer starts 8-byte aligned.
        var padded = (buffer.WrittenCount + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    private sealed record Entry(string Name, SafeTensorDType DType, long[] Shape, long Begin, long End);
}
