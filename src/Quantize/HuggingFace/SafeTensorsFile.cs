using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Appliance.Quantize.HuggingFace;

/// <summary>
/// One .safetensors file: an 8-byte little-endian header length, a JSON header, then the data buffer.
/// The header is validated in full on open (every tensor inside the file, no overlaps), tensors are read on demand.
/// </summary>
internal sealed class SafeTensorsFile : IDisposable
{
    // The reference implementation refuses headers above 100 MB; so do we, before allocating for one.
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private const int ReadChunkBytes = 1 << 20;

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, Entry> _entries;

    private SafeTensorsFile(string path, SafeFileHandle handle, Dictionary<string, Entry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        _entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IEnumerable<string> TensorNames => _entries.Keys;

    public bool Contains(string name) => _entries.ContainsKey(name);

    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new HfCheckpointException($"{path}: safetensors file not found.");
        }

        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var (entries, metadata) = ReadHeader(path, handle);
            return new SafeTensorsFile(path, handle, entries, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public SafeTensorInfo Describe(string name)
    {
        var entry = _entries[name];
        return SafeTensorDTypes.TryParse(entry.DTypeName, out var dtype)
            ? new SafeTensorInfo(name, dtype, (long[])entry.Shape.Clone(), Path)
            : throw new HfCheckpointException(
                $"{Path}: tensor \"{name}\" has dtype {entry.DTypeName}, which is not supported; supported: F32, F16, BF16.");
    }

    public void ReadFloat32(string name, Span<float> destination)
    {
        var info = Describe(name);
        if (destination.Length != info.ElementCount)
        {
            throw new ArgumentException(
                $"{Path}: tensor \"{name}\" of shape [{string.Join(", ", info.Shape)}] has {info.ElementCount} elements; the destination holds {destination.Length}.",
                nameof(destination));
        }

        var entry = _entries[name];
        var elementSize = SafeTensorDTypes.ElementSize(info.DType);
        var elementsPerChunk = ReadChunkBytes / elementSize;
        var what = $"tensor \"{name}\"";
        var buffer = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            for (var done = 0; done < destination.Length; done += elementsPerChunk)
            {
                var count = Math.Min(elementsPerChunk, destination.Length - done);
                var bytes = buffer.AsSpan(0, count * elementSize);
                ReadFully(_handle, bytes, entry.Offset + ((long)done * elementSize), Path, what);
                FloatEncoding.Decode(info.DType, bytes, destination.Slice(done, count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void ReadFully(SafeFileHandle handle, Span<byte> destination, long offset, string path, string what)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                throw new HfCheckpointException($"{path}: file ended while reading {what} at byte {offset}; the file is truncated.");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    private static (Dictionary<string, Entry> Entries, IReadOnlyDictionary<string, string> Metadata) ReadHeader(string path, SafeFileHandle handle)
    {
        var fileLength = RandomAccess.GetLength(handle);
        if (fileLength < 8)
        {
            throw new HfCheckpointException($"{path}: {fileLength} bytes is too short for a safetensors file (needs an 8-byte header length).");
        }

        Span<byte> lengthBytes = stackalloc byte[8];
        ReadFully(handle, lengthBytes, 0, path, "the header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes || (long)headerLength > fileLength - 8)
        {
            throw new HfCheckpointException(
                $"{path}: header length {headerLength} does not fit the file ({fileLength} bytes); the file is truncated or not a safetensors file.");
        }

        var header = new byte[headerLength];
        ReadFully(handle, header, 8, path, "the header");
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new HfCheckpointException($"{path}: the safetensors header is not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = new JsonFieldReader(document.RootElement, path);
            var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    metadata = ReadMetadata(path, property.Value);
                    continue;
                }

                entries[property.Name] = ReadEntry(new JsonFieldReader(property.Value, path, property.Name), dataStart, dataLength);
            }

            CheckNoOverlaps(root, entries);
            return (entries, metadata);
        }
    }

    private static Entry ReadEntry(JsonFieldReader tensor, long dataStart, long dataLength)
    {
        var dtypeName = tensor.RequiredString("dtype");
        var elementSize = SafeTensorDTypes.AnyElementSize(dtypeName)
            ?? throw tensor.Error("dtype", $"= \"{dtypeName}\" is not a safetensors dtype");

        var shapeArray = tensor.RequiredArray("shape");
        var shape = new long[shapeArray.GetArrayLength()];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = tensor.AsInt(shapeArray[i], $"{tensor.Path}.shape[{i}]");
            if (shape[i] < 0)
            {
                throw tensor.Error("shape", $"has a negative dimension {shape[i]}");
            }
        }

        var offsets = tensor.RequiredArray("data_offsets");
        if (offsets.GetArrayLength() != 2
            || !offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end))
        {
            throw tensor.Error("data_offsets", $"must be [begin, end], found {JsonFieldReader.Abbreviate(offsets)}");
        }

        if (begin < 0 || end < begin || end > dataLength)
        {
            throw tensor.Error(
                "data_offsets",
                $"= [{begin}, {end}] lies outside the data buffer of {dataLength} bytes; the file is truncated or corrupt");
        }

        long expectedBytes;
        try
        {
            expectedBytes = checked(SafeTensorInfo.ElementCountOf(shape) * elementSize);
        }
        catch (OverflowException)
        {
            throw tensor.Error("shape", "is too large");
        }

        if (end - begin != expectedBytes)
        {
            throw tensor.Error(
                "data_offsets",
                $"= [{begin}, {end}] spans {end - begin} bytes but shape [{string.Join(", ", shape)}] of {dtypeName} needs {expectedBytes}");
        }

        return new Entry(dtypeName, shape, dataStart + begin, end - begin);
    }

    private static Dictionary<string, string> ReadMetadata(string path, JsonElement element)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = new JsonFieldReader(element, path, "__metadata__");
        foreach (var property in element.EnumerateObject())
        {
            metadata[property.Name] = fields.OptionalString(property.Name) ?? string.Empty;
        }

        return metadata;
    }

    private static void CheckNoOverlaps(JsonFieldReader root, Dictionary<string, Entry> entries)
    {
        var ordered = entries.Where(e => e.Value.Length > 0).OrderBy(e => e.Value.Offset).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var previous = ordered[i - 1];
            if (ordered[i].Value.Offset < previous.Value.Offset + previous.Value.Length)
            {
                throw root.Error(ordered[i].Key, $"overlaps the data of tensor \"{previous.Key}\"; the file is corrupt");
            }
        }
    }

    private sealed record Entry(string DTypeName, long[] Shape, long Offset, long Length);
}
