using Appliance.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Tests.Runtime;

public sealed class ExecutionProvidersTests
{
    [Theory]
    [InlineData(ExecutionProviderKind.Cuda, "CUDAExecutionProvider")]
    [InlineData(ExecutionProviderKind.TensorRt, "TensorrtExecutionProvider")]
    public void A_provider_the_cpu_only_library_lacks_is_one_error_naming_the_library_and_the_provider(ExecutionProviderKind kind, string provider)
    {
        OrtLibrary.EnsureLoaded();
        using var options = new SessionOptions();

        var error = Assert.Throws<ExecutionProviderUnavailableException>(() => ExecutionProviders.Append(options, new ExecutionProviderOptions { Kind = kind }));

        Assert.Contains(OrtLibrary.LoadedPath, error.Message, StringComparison.Ordinal);
        Assert.Contains(provider, error.Message, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_cpu_provider_adds_nothing()
    {
        OrtLibrary.EnsureLoaded();
        using var options = new SessionOptions();

        ExecutionProviders.Append(options, ExecutionProviderOptions.Cpu);
    }

    [Fact]
    public void TensorRt_options_carry_the_device_the_engine_cache_and_fp16()
    {
        var options = ExecutionProviders.TensorRtOptions(new ExecutionProviderOptions
        {
            Kind = ExecutionProviderKind.TensorRt,
            DeviceId = 1,
            TensorRtEngineCachePath = "/var/cache/appliance/trt",
            TensorRtFp16 = true,
        });

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["device_id"] = "1",
                ["trt_fp16_enable"] = "1",
                ["trt_engine_cache_enable"] = "1",
                ["trt_engine_cache_path"] = "/var/cache/appliance/trt",
            },
            options);
    }

    [Fact]
    public void Without_a_cache_path_TensorRt_keeps_no_engine_cache()
    {
        var options = ExecutionProviders.TensorRtOptions(new ExecutionProviderOptions { Kind = ExecutionProviderKind.TensorRt });

        Assert.False(options.ContainsKey("trt_engine_cache_enable"));
        Assert.Equal("0", options["trt_fp16_enable"]);
    }
}
