using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Runtime;

/// <summary>
/// A tensor over native memory allocated once at its largest size, re-pointed at a new shape without managed
/// allocation when a step needs one (the native OrtValue is replaced, the data stays). Native (not managed) memory keeps
/// multi-megabyte KV buffers off the GC heap and page aligned for ONNX Runtime's kernels; it starts as zeros and
/// becomes resident only where written (<see cref="ZeroPages"/>), so a whole-context buffer costs what is used.
/// </summary>
internal sealed unsafe class NativeTensor : IDisposable
{
    private readonly OrtCApi _api;
    private readonly nint _memoryInfo;
    private readonly OnnxElementType _type;
    private readonly long _capacityBytes;
    private readonly long[] _shape;
    private void* _data;

    public NativeTensor(OnnxElementType type, long capacityBytes, ReadOnlySpan<long> initialShape)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _api = OrtLibrary.CApi;
        _memoryInfo = OrtMemoryInfo.DefaultInstance.DangerousGetHandle();
        _type = type;
        _capacityBytes = capacityBytes;
        _data = ZeroPages.Allocate(capacityBytes);
        _shape = initialShape.ToArray();
        try
        {
            Value = Create(initialShape);
        }
        catch
        {
            ZeroPages.Free(_data, capacityBytes);
            throw;
        }
    }

    /// <summary>The native OrtValue* for the current shape; valid until the next <see cref="Reshape"/>.</summary>
    public nint Value { get; private set; }

    public void* Data => _data;

    /// <summary>Bytes of the buffer in RAM now: the pages written so far.</summary>
    public long ResidentBytes => ZeroPages.ResidentBytes(_data, _capacityBytes);

    /// <summary>Re-points the tensor at <paramref name="shape"/>; returns false (and does nothing) when it already has it.</summary>
    public bool Reshape(ReadOnlySpan<long> shape)
    {
        if (shape.SequenceEqual(_shape))
        {
            return false;
        }

        var replacement = Create(shape);
        _api.ReleaseValue(Value);
        Value = replacement;
        shape.CopyTo(_shape);
        return true;
    }

    public void Dispose()
    {
        _api.ReleaseValue(Value);
        Value = 0;
        if (_data is not null)
        {
            ZeroPages.Free(_data, _capacityBytes);
            _data = null;
        }
    }

    private nint Create(ReadOnlySpan<long> shape)
    {
        var needed = OnnxElementTypes.ElementCount(shape) * OnnxElementTypes.SizeOf(_type);
        if (needed > _capacityBytes)
        {
            throw new ArgumentException(
                $"A {_type} tensor of shape [{string.Join(", ", shape.ToArray())}] needs {needed} bytes; this buffer holds {_capacityBytes}.", nameof(shape));
        }

        return _api.CreateTensor(_memoryInfo, _data, _capacityBytes, shape, _type);
    }
}
