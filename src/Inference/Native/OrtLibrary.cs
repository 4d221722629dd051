using System.Runtime.InteropServices;

namespace Appliance.Inference.Native;

/// <summary>
/// The process-wide ONNX Runtime library. It is loaded once, on first use, from the path <see cref="Configure"/> set,
/// else APPLIANCE_ORT_LIBRARY, else next to the executable, else the repository cache (see <see cref="OrtLibraryResolver"/>).
/// </summary>
public static unsafe class OrtLibrary
{
    public const string PinnedVersion = "1.30.0";

    private static readonly Lock Gate = new();
    private static string? s_configuredPath;
    private static bool s_configured;
    private static OrtLoadedLibrary? s_library;
    private static OrtApi? s_api;
    private static string[]? s_providers;

    /// <summary>Chooses the library path (null = default resolution). Call before first use; a different path later throws.</summary>
    public static void Configure(string? explicitPath)
    {
        var path = string.IsNullOrWhiteSpace(explicitPath) ? null : Path.GetFullPath(explicitPath);
        lock (Gate)
        {
            if (s_library is not null)
            {
                if (path is not null && path != s_library.Path)
                {
                    throw new InvalidOperationException(
                        $"ONNX Runtime is already loaded from {s_library.Path}; it cannot be switched to {path} in this process.");
                }

                return;
            }

            if (s_configured && path != s_configuredPath)
            {
                throw new InvalidOperationException(
                    $"ONNX Runtime library path was already configured as {s_configuredPath ?? "(default resolution)"}; cannot change it to {path ?? "(default resolution)"}.");
            }

            s_configured = true;
            s_configuredPath = path;
        }
    }

    /// <summary>Full path of the loaded library (loads it if needed).</summary>
    public static string LoadedPath => Library.Path;

    /// <summary>ONNX Runtime's own version string, e.g. "1.30.0".</summary>
    public static string Version => Library.Version;

    /// <summary>Execution providers compiled into the loaded library, e.g. CPUExecutionProvider, CUDAExecutionProvider.</summary>
    public static IReadOnlyList<string> AvailableProviders
    {
        get
        {
            if (s_providers is { } cached)
            {
                return cached;
            }

            var api = Api;
            byte** names;
            int count;
            OrtStatus.Check(api.GetAvailableProviders(&names, &count));
            var providers = new string[count];
            for (var i = 0; i < count; i++)
            {
                providers[i] = Marshal.PtrToStringUTF8((nint)names[i]) ?? string.Empty;
            }

            OrtStatus.Check(api.ReleaseAvailableProviders(names, count));
            return s_providers = providers;
        }
    }

    internal static OrtApi Api => s_api ?? LoadApi();

    /// <summary>Finds an exported C function of the loaded library (used for the provider append entry points).</summary>
    internal static bool TryGetExport(string name, out nint address) => NativeLibrary.TryGetExport(Library.Handle, name, out address);

    private static OrtLoadedLibrary Library
    {
        get
        {
            _ = Api;
            return s_library!;
        }
    }

    private static OrtApi LoadApi()
    {
        lock (Gate)
        {
            if (s_api is null)
            {
                var library = OrtNativeLoader.Load(OrtLibraryResolver.ForCurrentProcess(s_configuredPath));
                s_library = library;
                s_api = new OrtApi((void**)library.ApiTable);
            }

            return s_api;
        }
    }
}
