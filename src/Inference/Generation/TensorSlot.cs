using System.Runtime.InteropServices;
using Appliance.Inference.Native;

namespace Appliance.Inference.Generation;

/// <summary>
/// A tensor over native memory allocated once at its largest size, re-pointed at a new shape without managed
/// allocation when a step needs one. Native (not managed) memory keeps multi-megabyte KV buffers off the GC heap
/// and aligned for ONNX Runtime's kernels.
/// </summary>
internal sealed unsafe class TensorSlot : IDisposable
{
    private const nuint Alignment = 64;
    private readonly long[] _shape;
    private void* _data;

    public TensorSlot(TensorElementType type, long capacityBytes, ReadOnlySpan<long> initialShape)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _data = NativeMemory.AlignedAlloc((nuint)capacityBytes, Alignment);
        NativeMemory.Clear(_data, (nuint)capacityBytes);
        _shape = initialShape.ToArray();
        try
        {
            Value = OrtValue.CreateTensor(_data, capacityBytes, type, initialShape);
        }
        catch
        {
            NativeMemory.AlignedFree(_data);
            throw;
        }
    }

    public OrtValue Value { get; }

    public void* Data => _data;

    /// <summary>Re-points the tensor at <paramref name="shape"/>; returns false (and does nothing) when it already has it.</summary>
    public bool Reshape(ReadOnlySpan<long> shape)
    {
        if (shape.SequenceEqual(_shape))
        {
            return false;
        }

        Value.Reshape(shape);
        shape.CopyTo(_shape);
        return true;
    }

    public void Dispose()
    {
        Value.Dispose();
        if (_data is not null)
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
        }
    }
}
