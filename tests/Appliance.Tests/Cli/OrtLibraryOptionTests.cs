using System.Runtime.InteropServices;
using System.Text.Json;
using Appliance.TestSupport;

namespace Appliance.Tests.Cli;

/// <summary>
/// Which ONNX Runtime library a command runs on: the one named by --ort-library or APPLIANCE_ORT_LIBRARY or an error,
/// never a silent fallback. Each case is its own process, since a process loads ONNX Runtime once.
/// </summary>
public sealed class OrtLibraryOptionTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>, IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly TempDirectory _dir = new("ort-library-option");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_named_library_is_the_one_loaded()
    {
        var copy = _dir.Combine("libonnxruntime.so");
        File.Copy(PackagedLibrary("1.32.0"), copy);

        var run = await ApplianceProcess.RunAsync(
            NoEnvironment, "bench", "--model", model.ModelPath, "--ort-library", copy, "--prompt-tokens", "4", "--gen-tokens", "4",
            "--repetitions", "1", "--threads", "1", "--bandwidth-mib", "16", "--json");

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Output);
        Assert.Equal(copy, json.RootElement.GetProperty("ort_library").GetString());
        Assert.Equal("1.32.0", json.RootElement.GetProperty("ort_version").GetString());
    }

    [Fact]
    public async Task A_missing_named_library_is_an_error_not_a_fallback()
    {
        var missing = _dir.Combine("nope", "libonnxruntime.so");

        var run = await ApplianceProcess.RunAsync(
            new Dictionary<string, string> { ["APPLIANCE_ORT_LIBRARY"] = missing }, "generate", "--model", model.ModelPath, "--token-ids", "1,2", "--greedy");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{missing} [EnvironmentVariable]: file does not exist", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task An_older_library_than_the_managed_api_needs_is_refused_with_both_versions()
    {
        var old = PackagedLibrary("1.30.0");

        var run = await ApplianceProcess.RunAsync(
            NoEnvironment, "generate", "--model", model.ModelPath, "--ort-library", old, "--token-ids", "1,2", "--greedy");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error: ONNX Runtime 1.30.0 at {old} cannot serve the managed API 1.32.0", run.Error, StringComparison.Ordinal);
        Assert.Contains("does not support API version", run.Error, StringComparison.Ordinal);
        Assert.Contains("Use ONNX Runtime 1.31.0 or newer", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gpu_provider_on_the_cpu_library_is_one_error_line()
    {
        var run = await ApplianceProcess.RunAsync(
            NoEnvironment, "generate", "--model", model.ModelPath, "--execution-provider", "cuda", "--token-ids", "1,2", "--greedy");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cannot run CUDAExecutionProvider: it provides only CPUExecutionProvider", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Onnx_runtime_keeps_no_telemetry()
    {
        var home = _dir.Combine("home");
        Directory.CreateDirectory(home);

        var run = await ApplianceProcess.RunAsync(
            new Dictionary<string, string> { ["HOME"] = home, ["XDG_CACHE_HOME"] = Path.Combine(home, ".cache") },
            "generate", "--model", model.ModelPath, "--token-ids", "1,2", "--max-new-tokens", "2", "--greedy");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(home, "*", SearchOption.AllDirectories));
    }

    // This machine's library of a Microsoft.ML.OnnxRuntime version restored into the NuGet package folder (1.30.0 by the
    // test project's PackageDownload, 1.32.0 by the appliance's own reference).
    private static string PackagedLibrary(string version)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var arch = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        return Path.Combine(packages, "microsoft.ml.onnxruntime", version, "runtimes", $"linux-{arch}", "native", "libonnxruntime.so");
    }
}
