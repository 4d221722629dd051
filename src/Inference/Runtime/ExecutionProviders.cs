using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Runtime;

/// <summary>
/// Adds the configured execution provider to a session's options. A provider the loaded library lacks, or one whose
/// libraries (libonnxruntime_providers_cuda.so, CUDA, TensorRT) fail to load, is one clear error naming the library
/// and the provider: the session is never quietly created on the CPU instead.
/// </summary>
public static class ExecutionProviders
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string TensorRtProvider = "TensorrtExecutionProvider";

    public static void Append(SessionOptions sessionOptions, ExecutionProviderOptions provider)
    {
        ArgumentNullException.ThrowIfNull(sessionOptions);
        ArgumentNullException.ThrowIfNull(provider);
        switch (provider.Kind)
        {
            case ExecutionProviderKind.Cpu:
                return;
            case ExecutionProviderKind.Cuda:
                Require(CudaProvider);
                Try(CudaProvider, () =>
                {
                    using var cuda = new OrtCUDAProviderOptions();
                    cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = Invariant(provider.DeviceId) });
                    sessionOptions.AppendExecutionProvider_CUDA(cuda);
                });
                return;
            case ExecutionProviderKind.TensorRt:
                Require(TensorRtProvider);
                Try(TensorRtProvider, () =>
                {
                    using var tensorRt = new OrtTensorRTProviderOptions();
                    tensorRt.UpdateOptions(TensorRtOptions(provider));
                    sessionOptions.AppendExecutionProvider_Tensorrt(tensorRt);

                    // Nodes TensorRT cannot take run on CUDA, not on the CPU.
                    using var cuda = new OrtCUDAProviderOptions();
                    cuda.UpdateOptions(new Dictionary<string, string> { ["device_id"] = Invariant(provider.DeviceId) });
                    sessionOptions.AppendExecutionProvider_CUDA(cuda);
                });
                return;
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider.Kind, "Unknown execution provider.");
        }
    }

    /// <summary>The provider option keys and values TensorRT gets (names as in ONNX Runtime's TensorRT provider).</summary>
    public static Dictionary<string, string> TensorRtOptions(ExecutionProviderOptions provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var options = new Dictionary<string, string>
        {
            ["device_id"] = Invariant(provider.DeviceId),
            ["trt_fp16_enable"] = provider.TensorRtFp16 ? "1" : "0",
        };
        if (!string.IsNullOrWhiteSpace(provider.TensorRtEngineCachePath))
        {
            options["trt_engine_cache_enable"] = "1";
            options["trt_engine_cache_path"] = provider.TensorRtEngineCachePath;
        }

        return options;
    }

    private static void Require(string provider)
    {
        var available = OrtLibrary.AvailableProviders;
        if (!available.Contains(provider))
        {
            throw Unavailable(provider, $"it provides only {string.Join(", ", available)}", null);
        }
    }

    private static void Try(string provider, Action append)
    {
        try
        {
            append();
        }
        catch (OnnxRuntimeException e)
        {
            throw Unavailable(provider, $"enabling it failed: {e.Message}", e);
        }
    }

    private static ExecutionProviderUnavailableException Unavailable(string provider, string reason, Exception? inner)
    {
        var message =
            $"The ONNX Runtime library {OrtLibrary.LoadedPath} (version {OrtLibrary.Version}) cannot run {provider}: {reason}. " +
            $"Point Engine:OrtLibrary (or {OrtLibraryResolver.EnvironmentVariable}) at an ONNX Runtime build with {provider} " +
            "and its provider libraries (on Jetson: a build for JetPack 6, see the README), or set Engine:ExecutionProvider to cpu.";
        return inner is null ? new ExecutionProviderUnavailableException(message) : new ExecutionProviderUnavailableException(message, inner);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
