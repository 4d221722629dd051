using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Runtime;

/// <summary>
/// The process's ONNX Runtime: which libonnxruntime.so the managed API (Microsoft.ML.OnnxRuntime) binds to, and its
/// one environment. The library is chosen once, on first use, from the path <see cref="Configure"/> set, else
/// APPLIANCE_ORT_LIBRARY, else the NuGet package's copy (see <see cref="OrtLibraryResolver"/>), and handed to the
/// managed API through <see cref="NativeLibrary.SetDllImportResolver"/> so a board's own ONNX Runtime build can be used.
/// </summary>
public static unsafe class OrtLibrary
{
    /// <summary>The managed API's version, and the native library the NuGet package brings.</summary>
    public const string PinnedVersion = "1.32.0";

    /// <summary>The oldest native library the managed API accepts: it asks for C API version 31.</summary>
    public const string OldestNativeVersion = "1.31.0";

    private const string ManagedLibraryName = "onnxruntime";
    private static readonly Lock Gate = new();
    private static string? s_configuredPath;
    private static bool s_configured;
    private static LoadedLibrary? s_library;

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
    public static string LoadedPath => Load().Path;

    /// <summary>The loaded library's own version string, e.g. "1.32.0".</summary>
    public static string Version => Load().Version;

    /// <summary>Execution providers compiled into the loaded library, e.g. CPUExecutionProvider, CUDAExecutionProvider.</summary>
    public static IReadOnlyList<string> AvailableProviders => Load().Providers;

    internal static OrtCApi CApi => Load().CApi;

    /// <summary>Loads the library and creates ONNX Runtime's environment, once; every session is created after this.</summary>
    public static void EnsureLoaded() => Load();

    private static LoadedLibrary Load()
    {
        if (Volatile.Read(ref s_library) is { } loaded)
        {
            return loaded;
        }

        lock (Gate)
        {
            return s_library ??= LoadLocked();
        }
    }

    private static LoadedLibrary LoadLocked()
    {
        OrtTelemetry.DisableBeforeLoad();
        var candidates = OrtLibraryResolver.ForCurrentProcess(s_configuredPath);
        var opened = OrtNativeLoader.Open(candidates);
        var chosenByUser = opened.Candidate.Source is OrtLibrarySource.Explicit or OrtLibrarySource.EnvironmentVariable;
        UseForManagedApi(opened, chosenByUser);
        var providers = CreateEnvironment(opened.Candidate.Path, opened.Version);
        return new LoadedLibrary(opened.Candidate.Path, opened.Version, new OrtCApi((void**)opened.ApiTable), providers);
    }

    // The managed API resolves "onnxruntime" through its own resolver unless told not to; this must happen before any
    // Microsoft.ML.OnnxRuntime type touches native code, which is why every session is created after Load.
    // When something touched the managed API first, its own resolver already found the package's copy (the same file
    // as our default candidates); only a library the user named must then be refused rather than silently not used.
    private static void UseForManagedApi(OrtNativeLibrary library, bool chosenByUser)
    {
        OrtEnv.DisableDllImportResolver = true;
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(OrtEnv).Assembly,
                (name, _, _) => name == ManagedLibraryName ? library.Handle : 0);
        }
        catch (InvalidOperationException e) when (chosenByUser)
        {
            throw new InvalidOperationException(
                $"ONNX Runtime's managed API was used before the library {library.Candidate.Path} was chosen; configure it before loading any model.", e);
        }
        catch (InvalidOperationException)
        {
            // The managed API resolved the package's library on its own.
        }
    }

    private static string[] CreateEnvironment(string path, string version)
    {
        try
        {
            if (!OrtEnv.IsCreated)
            {
                var options = new EnvironmentCreationOptions
                {
                    logId = "appliance",
                    logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
                };
                OrtEnv.CreateInstanceWithOptions(ref options);
            }

            OrtEnv.Instance().DisableTelemetryEvents();

            return OrtEnv.Instance().GetAvailableProviders();
        }
        catch (Exception e) when (e is TypeInitializationException or OnnxRuntimeException or EntryPointNotFoundException)
        {
            var reason = e is TypeInitializationException { InnerException: { } inner } ? inner.Message : e.Message;
            throw new OrtLibraryVersionException(
                $"ONNX Runtime {version} at {path} cannot serve the managed API {PinnedVersion}: {reason} " +
                $"Use ONNX Runtime {OldestNativeVersion} or newer (Engine:OrtLibrary or {OrtLibraryResolver.EnvironmentVariable}).",
                e);
        }
    }

    private sealed record LoadedLibrary(string Path, string Version, OrtCApi CApi, IReadOnlyList<string> Providers);
}
