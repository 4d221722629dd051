using System.Buffers;

namespace Appliance.Inference.Native;

/// <summary>
/// A tensor ONNX Runtime can read or write: over caller memory (pinned managed memory or a raw pointer) or allocated by
/// ONNX Runtime. A tensor over caller memory can be <see cref="Reshape"/>d in place each decode step without allocating.
/// </summary>
public sealed unsafe class OrtValue : IDisposable
{
    private readonly OrtHandle _handle;
    private readonly void* _externalData;
    private readonly long _externalCapacity;
    private readonly TensorElementType _externalType;
    private MemoryHandle _pin;

    private OrtValue(nint value, MemoryHandle pin = default, void* externalData = null, long externalCapacity = 0, TensorElementType externalType = default)
    {
        _handle = new OrtHandle(value, OrtLibrary.Api.ReleaseValue);
        _pin = pin;
        _externalData = externalData;
        _externalCapacity = externalCapacity;
        _externalType = externalType;
    }

    public TensorElementType ElementType => ReadTypeAndCount(out _);

    /// <summary>Start of the tensor's data.</summary>
    public void* DataPointer
    {
        get
        {
            void* data;
            OrtStatus.Check(OrtLibrary.Api.GetTensorMutableData(Pointer, &data));
            GC.KeepAlive(this);
            return data;
        }
    }

    internal nint Pointer => _handle.Pointer;

    /// <summary>A tensor over the first elements of <paramref name="pinnedOrPinnable"/>; the memory stays pinned until disposal.</summary>
    public static OrtValue CreateTensor<T>(Memory<T> pinnedOrPinnable, ReadOnlySpan<long> shape)
        where T : unmanaged
    {
        var type = TensorElementTypes.Of<T>();
        var pin = pinnedOrPinnable.Pin();
        try
        {
            return OverExternal(pin.Pointer, (long)pinnedOrPinnable.Length * sizeof(T), type, shape, pin);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>A tensor over caller-owned memory of <paramref name="byteLength"/> bytes; the caller keeps it alive and fixed.</summary>
    public static OrtValue CreateTensor(void* data, long byteLength, TensorElementType type, ReadOnlySpan<long> shape) =>
        OverExternal(data, byteLength, type, shape, default);

    /// <summary>A tensor whose memory ONNX Runtime's CPU allocator owns.</summary>
    public static OrtValue AllocateTensor(TensorElementType type, ReadOnlySpan<long> shape)
    {
        nint value;
        fixed (long* dims = shape)
        {
            OrtStatus.Check(OrtLibrary.Api.CreateTensorAsOrtValue(OrtCpu.Allocator, dims, (nuint)shape.Length, type, &value));
        }

        return new OrtValue(value);
    }

    /// <summary>Takes ownership of a value ONNX Runtime created (run outputs).</summary>
    internal static OrtValue FromNative(nint value) => new(value);

    public long[] GetShape()
    {
        var info = TypeAndShape();
        try
        {
            var api = OrtLibrary.Api;
            nuint rank;
            OrtStatus.Check(api.GetDimensionsCount(info, &rank));
            var shape = new long[rank];
            fixed (long* dims = shape)
            {
                OrtStatus.Check(api.GetDimensions(info, dims, rank));
            }

            return shape;
        }
        finally
        {
            OrtLibrary.Api.ReleaseTensorTypeAndShapeInfo(info);
        }
    }

    /// <summary>The tensor's elements; <typeparamref name="T"/> must match <see cref="ElementType"/>.</summary>
    public Span<T> GetTensorSpan<T>()
        where T : unmanaged
    {
        var type = ReadTypeAndCount(out var count);
        if (type != TensorElementTypes.Of<T>())
        {
            throw new InvalidOperationException($"The tensor holds {type} elements, not {typeof(T).Name}.");
        }

        return new Span<T>(DataPointer, checked((int)count));
    }

    /// <summary>
    /// Re-points this tensor at <paramref name="shape"/> over the same caller memory (no managed allocation). Bindings hold
    /// the previous native value, so bind the tensor again afterwards.
    /// </summary>
    public void Reshape(ReadOnlySpan<long> shape)
    {
        if (_externalData is null)
        {
            throw new InvalidOperationException("Only tensors created over caller memory can be reshaped; this one is owned by ONNX Runtime.");
        }

        _handle.Replace(CreateNative(_externalData, _externalCapacity, _externalType, shape));
    }

    public void Dispose()
    {
        _handle.Dispose();
        _pin.Dispose();
        _pin = default;
    }

    private static OrtValue OverExternal(void* data, long byteLength, TensorElementType type, ReadOnlySpan<long> shape, MemoryHandle pin) =>
        new(CreateNative(data, byteLength, type, shape), pin, data, byteLength, type);

    private static nint CreateNative(void* data, long capacity, TensorElementType type, ReadOnlySpan<long> shape)
    {
        var needed = TensorElementTypes.ElementCount(shape) * TensorElementTypes.SizeOf(type);
        if (needed > capacity)
        {
            ThrowTooSmall(needed, capacity, type, shape);
        }

        nint value;
        fixed (long* dims = shape)
        {
            OrtStatus.Check(OrtLibrary.Api.CreateTensorWithDataAsOrtValue(
                OrtCpu.MemoryInfo, data, (nuint)needed, dims, (nuint)shape.Length, type, &value));
        }

        return value;
    }

    private static void ThrowTooSmall(long needed, long capacity, TensorElementType type, ReadOnlySpan<long> shape) =>
        throw new ArgumentException(
            $"A {type} tensor of shape [{string.Join(", ", shape.ToArray())}] needs {needed} bytes but the memory holds {capacity}.",
            nameof(shape));

    private TensorElementType ReadTypeAndCount(out long count)
    {
        var info = TypeAndShape();
        try
        {
            var api = OrtLibrary.Api;
            TensorElementType type;
            nuint elements;
            OrtStatus.Check(api.GetTensorElementType(info, &type));
            OrtStatus.Check(api.GetTensorShapeElementCount(info, &elements));
            count = (long)elements;
            return type;
        }
        finally
        {
            OrtLibrary.Api.ReleaseTensorTypeAndShapeInfo(info);
        }
    }

    private nint TypeAndShape()
    {
        nint info;
        OrtStatus.Check(OrtLibrary.Api.GetTensorTypeAndShape(Pointer, &info));
        GC.KeepAlive(this);
        return info;
    }
}
