using System.Runtime.InteropServices;

namespace Appliance.Inference.Runtime;

/// <summary>
/// Native buffers taken from the kernel as anonymous private mappings: they read as zeros, are page aligned, and a
/// page becomes resident only when first written. A KV cache sized for the model's whole context then costs memory
/// for the positions a conversation actually reached, not for the context (llama.cpp's buffers behave the same way).
/// Transparent huge pages are declined so that a first write commits 4 KiB, not 2 MiB, where the board's kernel
/// backs every anonymous mapping with them.
/// </summary>
internal static unsafe partial class ZeroPages
{
    private const int ProtRead = 0x1;
    private const int ProtWrite = 0x2;
    private const int MapPrivate = 0x02;
    private const int MapAnonymous = 0x20;
    private const int MadvNoHugePage = 15;
    private static readonly nint MapFailed = -1;

    public static readonly long PageSize = Environment.SystemPageSize;

    /// <exception cref="InsufficientMemoryException">The kernel refuses the mapping.</exception>
    public static void* Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var address = Map(0, (nuint)bytes, ProtRead | ProtWrite, MapPrivate | MapAnonymous, -1, 0);
        if (address == MapFailed)
        {
            throw new InsufficientMemoryException($"mmap of {bytes} bytes failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        // Advice only: a kernel built without transparent huge pages refuses it, and then none are used anyway.
        _ = Advise(address, (nuint)bytes, MadvNoHugePage);
        return (void*)address;
    }

    public static void Free(void* data, long bytes)
    {
        if (Unmap((nint)data, (nuint)bytes) != 0)
        {
            throw new InvalidOperationException($"munmap of {bytes} bytes failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Bytes of [<paramref name="data"/>, +<paramref name="bytes"/>) resident in RAM now (mincore), a multiple of the page size.</summary>
    public static long ResidentBytes(void* data, long bytes)
    {
        var pages = (int)((bytes + PageSize - 1) / PageSize);
        var vector = new byte[pages];
        fixed (byte* states = vector)
        {
            if (Resident((nint)data, (nuint)bytes, states) != 0)
            {
                throw new InvalidOperationException($"mincore failed: errno {Marshal.GetLastPInvokeError()}.");
            }
        }

        long resident = 0;
        foreach (var state in vector)
        {
            resident += state & 1;
        }

        return resident * PageSize;
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Map(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Unmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Advise(nint address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "mincore", SetLastError = true)]
    private static partial int Resident(nint address, nuint length, byte* vector);
}
