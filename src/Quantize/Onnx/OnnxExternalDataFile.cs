namespace Appliance.Quantize.Onnx;

/// <summary>
/// Appends tensor bytes to the external data file as they arrive, each at a 4096-byte aligned offset so ONNX Runtime
/// can memory-map weights page by page.
/// </summary>
internal sealed class OnnxExternalDataFile : IDisposable
{
    public const int Alignment = 4096;

    private readonly FileStream _stream;

    public OnnxExternalDataFile(string path)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 20);
    }

    /// <summary>Writes <paramref name="data"/> at the next aligned offset and returns that offset.</summary>
    public long Append(ReadOnlySpan<byte> data)
    {
        var offset = (_stream.Position + Alignment - 1) / Alignment * Alignment;
        Span<byte> zeros = stackalloc byte[256];
        zeros.Clear();
        while (_stream.Position < offset)
        {
            _stream.Write(zeros[..(int)Math.Min(zeros.Length, offset - _stream.Position)]);
        }

        _stream.Write(data);
        return offset;
    }

    public void Dispose() => _stream.Dispose();
}
