using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appliance.Inference.Native;

/// <summary>Turns a returned OrtStatus* into an <see cref="OrtException"/> carrying ONNX Runtime's code and message.</summary>
internal static unsafe class OrtStatus
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(nint status)
    {
        if (status != 0)
        {
            Throw(status);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint status)
    {
        var api = OrtLibrary.Api;
        var code = api.GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)api.GetErrorMessage(status)) ?? "(no message)";
        api.ReleaseStatus(status);
        throw new OrtException(code, message);
    }
}
