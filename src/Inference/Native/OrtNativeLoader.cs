using System.Runtime.InteropServices;

namespace Appliance.Inference.Native;

/// <summary>A loaded ONNX Runtime library: its path, OS handle, C API table and version string.</summary>
internal sealed record OrtLoadedLibrary(string Path, nint Handle, nint ApiTable, string Version);

/// <summary>
/// Tries candidate paths in order: dlopen, find <c>OrtGetApiBase</c>, ask for C API version
/// <see cref="OrtApi.RequiredVersion"/>. The first library passing all three wins; otherwise the exception lists why each failed.
/// </summary>
internal static unsafe class OrtNativeLoader
{
    private const string ApiBaseExport = "OrtGetApiBase";

    public static OrtLoadedLibrary Load(IReadOnlyList<OrtLibraryCandidate> candidates)
    {
        var attempts = new List<OrtLibraryAttempt>();
        foreach (var candidate in candidates)
        {
            var loaded = TryLoad(candidate.Path, out var failure);
            if (loaded is not null)
            {
                return loaded;
            }

            attempts.Add(new(candidate, failure));
        }

        throw new OrtLibraryNotFoundException(attempts);
    }

    private static OrtLoadedLibrary? TryLoad(string path, out string failure)
    {
        if (!File.Exists(path))
        {
            failure = "file does not exist";
            return null;
        }

        nint handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            failure = $"could not be loaded: {e.Message}";
            return null;
        }
        catch (BadImageFormatException e)
        {
            failure = $"not a loadable library for this process: {e.Message}";
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
        var table = ((delegate* unmanaged<uint, nint>)apiBase[0])(OrtApi.RequiredVersion);
        if (table == 0)
        {
            NativeLibrary.Free(handle);
            failure = $"ONNX Runtime {version} does not provide C API version {OrtApi.RequiredVersion}";
            return null;
        }

        failure = string.Empty;
        return new OrtLoadedLibrary(path, handle, table, version);
    }
}
