namespace Appliance.Inference.Native;

/// <summary>Options a session is created with: threads, optimization, profiling, execution providers.</summary>
public sealed unsafe class SessionOptions : IDisposable
{
    private const string CudaProvider = "CUDAExecutionProvider";
    private const string TensorRtProvider = "TensorrtExecutionProvider";
    private int _intraOpThreads;
    private int _interOpThreads;
    private GraphOptimizationLevel _optimizationLevel = GraphOptimizationLevel.All;

    public SessionOptions()
    {
        var api = OrtLibrary.Api;
        nint options;
        OrtStatus.Check(api.CreateSessionOptions(&options));
        Handle = new OrtHandle(options, api.ReleaseSessionOptions);
    }

    /// <summary>Threads used inside one operator (0 = ONNX Runtime decides).</summary>
    public int IntraOpThreads
    {
        get => _intraOpThreads;
        set
        {
            OrtStatus.Check(OrtLibrary.Api.SetIntraOpNumThreads(Handle.Pointer, value));
            _intraOpThreads = value;
        }
    }

    /// <summary>Threads running independent operators in parallel mode (0 = ONNX Runtime decides).</summary>
    public int InterOpThreads
    {
        get => _interOpThreads;
        set
        {
            OrtStatus.Check(OrtLibrary.Api.SetInterOpNumThreads(Handle.Pointer, value));
            _interOpThreads = value;
        }
    }

    public GraphOptimizationLevel OptimizationLevel
    {
        get => _optimizationLevel;
        set
        {
            OrtStatus.Check(OrtLibrary.Api.SetSessionGraphOptimizationLevel(Handle.Pointer, value));
            _optimizationLevel = value;
        }
    }

    internal OrtHandle Handle { get; }

    /// <summary>Sets a session configuration entry (keys as in onnxruntime_session_options_config_keys.h).</summary>
    public void AddConfigEntry(string key, string value)
    {
        fixed (byte* k = Utf8Name.NulTerminated(key))
        fixed (byte* v = Utf8Name.NulTerminated(value))
        {
            OrtStatus.Check(OrtLibrary.Api.AddSessionConfigEntry(Handle.Pointer, k, v));
        }
    }

    /// <summary>Writes a JSON trace per session; <see cref="InferenceSession.EndProfiling"/> returns its path.</summary>
    public void EnableProfiling(string pathPrefix)
    {
        fixed (byte* prefix = Utf8Name.NulTerminated(pathPrefix))
        {
            OrtStatus.Check(OrtLibrary.Api.EnableProfiling(Handle.Pointer, prefix));
        }
    }

    public void AppendCuda(int deviceId = 0) =>
        AppendProvider(CudaProvider, "OrtSessionOptionsAppendExecutionProvider_CUDA", deviceId);

    public void AppendTensorRt(int deviceId = 0) =>
        AppendProvider(TensorRtProvider, "OrtSessionOptionsAppendExecutionProvider_Tensorrt", deviceId);

    public void SetExecutionMode(bool parallel) =>
        OrtStatus.Check(OrtLibrary.Api.SetSessionExecutionMode(Handle.Pointer, parallel ? 1 : 0));

    public void EnableMemPattern(bool on) =>
        OrtStatus.Check(on ? OrtLibrary.Api.EnableMemPattern(Handle.Pointer) : OrtLibrary.Api.DisableMemPattern(Handle.Pointer));

    public void EnableCpuMemArena(bool on) =>
        OrtStatus.Check(on ? OrtLibrary.Api.EnableCpuMemArena(Handle.Pointer) : OrtLibrary.Api.DisableCpuMemArena(Handle.Pointer));

    public void Dispose() => Handle.Dispose();

    // The npm build lists CUDA and TensorRT among its providers, but their shared libraries (libonnxruntime_providers_*.so)
    // and the CUDA runtime are absent, so appending fails inside ONNX Runtime; both cases become one clear message.
    private void AppendProvider(string provider, string export, int deviceId)
    {
        var available = OrtLibrary.AvailableProviders;
        if (!available.Contains(provider) || !OrtLibrary.TryGetExport(export, out var append))
        {
            throw ProviderUnavailable(provider, $"it provides only {string.Join(", ", available)}", null);
        }

        try
        {
            OrtStatus.Check(((delegate* unmanaged<nint, int, nint>)append)(Handle.Pointer, deviceId));
        }
        catch (OrtException e)
        {
            throw ProviderUnavailable(provider, $"enabling it failed: {e.Message}", e);
        }
    }

    private static NotSupportedException ProviderUnavailable(string provider, string reason, Exception? inner) => new(
        $"The loaded ONNX Runtime library {OrtLibrary.LoadedPath} (version {OrtLibrary.Version}) cannot run {provider}: {reason}. " +
        $"Point {OrtLibraryResolver.EnvironmentVariable} at an ONNX Runtime build with {provider} and its provider libraries " +
        "(on Jetson, the JetPack build).",
        inner);
}
