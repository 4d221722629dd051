using System.Runtime.InteropServices;

namespace Appliance.Inference.Native;

/// <summary>Owns one native ONNX Runtime object and releases it with that object's Release function.</summary>
internal sealed unsafe class OrtHandle : SafeHandle
{
    private readonly delegate* unmanaged<nint, void> _release;

    public OrtHandle(nint pointer, delegate* unmanaged<nint, void> release)
        : base(0, ownsHandle: true)
    {
        _release = release;
        SetHandle(pointer);
    }

    public override bool IsInvalid => handle == 0;

    /// <summary>The native pointer; throws once disposed so a stale pointer never reaches ONNX Runtime.</summary>
    public nint Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    /// <summary>Swaps in a new native object of the same kind, releasing the old one (no managed allocation).</summary>
    public void Replace(nint pointer)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        var old = handle;
        SetHandle(pointer);
        if (old != 0)
        {
            _release(old);
        }
    }

    protected override bool ReleaseHandle()
    {
        _release(handle);
        return true;
    }
}
