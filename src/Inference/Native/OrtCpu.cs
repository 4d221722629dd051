namespace Appliance.Inference.Native;

/// <summary>Process-lifetime CPU objects ONNX Runtime hands out once: the CPU memory info and its default allocator.</summary>
internal static unsafe class OrtCpu
{
    private static nint s_memoryInfo;
    private static nint s_allocator;

    /// <summary>OrtMemoryInfo for plain CPU memory; created once and kept for the life of the process.</summary>
    public static nint MemoryInfo
    {
        get
        {
            if (s_memoryInfo == 0)
            {
                nint info;
                const int deviceAllocator = 0, memTypeDefault = 0;
                OrtStatus.Check(OrtLibrary.Api.CreateCpuMemoryInfo(deviceAllocator, memTypeDefault, &info));
                if (Interlocked.CompareExchange(ref s_memoryInfo, info, 0) != 0)
                {
                    OrtLibrary.Api.ReleaseMemoryInfo(info);
                }
            }

            return s_memoryInfo;
        }
    }

    /// <summary>ONNX Runtime's default CPU allocator (a static instance inside the library; never released).</summary>
    public static nint Allocator
    {
        get
        {
            if (s_allocator == 0)
            {
                nint allocator;
                OrtStatus.Check(OrtLibrary.Api.GetAllocatorWithDefaultOptions(&allocator));
                s_allocator = allocator;
            }

            return s_allocator;
        }
    }

    /// <summary>Copies a string ONNX Runtime allocated with the default allocator, then frees it.</summary>
    public static string TakeString(byte* text)
    {
        try
        {
            return System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;
        }
        finally
        {
            OrtStatus.Check(OrtLibrary.Api.AllocatorFree(Allocator, text));
        }
    }
}
