using System.Runtime.InteropServices;

namespace Appliance.Inference.Runtime;

/// <summary>A library that passed <see cref="OrtNativeLoader"/>: its OS handle, version and C API table.</summary>
internal sealed record OrtNativeLibrary(OrtLibraryCandidate Candidate, nint Handle, string Version, nint ApiTable);

/// <summary>
/// Tries candidate paths in order: dlopen, find <c>OrtGetApiBase</c>, ask for C API version <see cref="OrtCApi.Version"/>.
/// The first library passing all three wins; otherwise the exception lists why each failed.
/// </summary>
internal static unsafe class OrtNativeLoader
{
    private const string ApiBaseExport = "OrtGetApiBase";

    public static OrtNativeLibrary Open(IReadOnlyList<OrtLibraryCandidate> candidates)
    {
        var attempts = new List<OrtLibraryAttempt>();
        foreach (var candidate in candidates)
        {
            if (TryOpen(candidate, out var failure) is { } library)
            {
                return library;
            }

            attempts.Add(new(candidate, failure));
        }

        throw new OrtLibraryNotFoundException(attempts);
    }

    private static OrtNativeLibrary? TryOpen(OrtLibraryCandidate candidate, out string failure)
    {
        if (!File.Exists(candidate.Path))
        {
            failure = "file does not exist";
            return null;
        }

        nint handle;
        try
        {
            handle = NativeLibrary.Load(candidate.Path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            failure = $"could not be loaded: {e.Message}";
            return null;
        }

        if (!NativeLibrary.TryGetExport(handle, ApiBaseExport, out var getApiBase))
        {
            NativeLibrary.Free(handle);
            failure = $"no {ApiBaseExport} export (not an ONNX Runtime library)";
            return null;
        }

        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
        var apiBase = (void**)((delegate* unmanaged<void*>)getApiBase)();
        var version = Marshal.PtrToStringUTF8((nint)((delegate* unmanaged<byte*>)apiBase[1])()) ?? "unknown";
        var api = ((delegate* unmanaged<uint, nint>)apiBase[0])(OrtCApi.Version);
        if (api == 0)
        {
            NativeLibrary.Free(handle);
            failure = $"ONNX Runtime {version} does not provide C API version {OrtCApi.Version}";
            return null;
        }

        failure = string.Empty;
        return new OrtNativeLibrary(candidate, handle, version, api);
    }
}
