using System.Runtime.InteropServices;

namespace Appliance.Inference.Runtime;

/// <summary>
/// The few entries of ONNX Runtime's C API table the decode step calls directly. The managed API encodes the name to
/// UTF-8 and wraps a new OrtValue object on every IoBinding call, so rebinding the attention mask each step would
/// allocate; these calls take a name encoded once and a native OrtValue*, so a step allocates nothing managed.
/// Slots are indexes into <c>struct OrtApi</c> (append-only, so they never move between releases), all present since
/// C API version 5.
/// </summary>
internal sealed unsafe class OrtCApi
{
    public const uint Version = 5;

    private readonly delegate* unmanaged<nint, int> _getErrorCode;
    private readonly delegate* unmanaged<nint, byte*> _getErrorMessage;
    private readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, OnnxElementType, nint*, nint> _createTensorWithData;
    private readonly delegate* unmanaged<nint, void> _releaseStatus;
    private readonly delegate* unmanaged<nint, void> _releaseValue;
    private readonly delegate* unmanaged<nint, byte*, nint, nint> _bindInput;
    private readonly delegate* unmanaged<nint, byte*, nint, nint> _bindOutput;

    public OrtCApi(void** table)
    {
        _getErrorCode = (delegate* unmanaged<nint, int>)table[1];
        _getErrorMessage = (delegate* unmanaged<nint, byte*>)table[2];
        _createTensorWithData = (delegate* unmanaged<nint, void*, nuint, long*, nuint, OnnxElementType, nint*, nint>)table[49];
        _releaseStatus = (delegate* unmanaged<nint, void>)table[93];
        _releaseValue = (delegate* unmanaged<nint, void>)table[96];
        _bindInput = (delegate* unmanaged<nint, byte*, nint, nint>)table[136];
        _bindOutput = (delegate* unmanaged<nint, byte*, nint, nint>)table[137];
    }

    /// <summary>A tensor OrtValue over caller memory (not copied, not owned); release it with <see cref="ReleaseValue"/>.</summary>
    public nint CreateTensor(nint cpuMemoryInfo, void* data, long bytes, ReadOnlySpan<long> shape, OnnxElementType type)
    {
        nint value;
        fixed (long* dims = shape)
        {
            Check(_createTensorWithData(cpuMemoryInfo, data, (nuint)bytes, dims, (nuint)shape.Length, type, &value));
        }

        return value;
    }

    public void ReleaseValue(nint value)
    {
        if (value != 0)
        {
            _releaseValue(value);
        }
    }

    public void BindInput(nint binding, byte* name, nint value) => Check(_bindInput(binding, name, value));

    public void BindOutput(nint binding, byte* name, nint value) => Check(_bindOutput(binding, name, value));

    private void Check(nint status)
    {
        if (status == 0)
        {
            return;
        }

        var code = _getErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)_getErrorMessage(status)) ?? "(no message)";
        _releaseStatus(status);
        throw new InvalidOperationException($"ONNX Runtime error {code}: {message}");
    }
}
