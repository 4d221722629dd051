using System.Diagnostics;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Tests.Cli;

/// <summary>
/// A tiny model directory made the way a user makes one: a synthetic (random-weight) Hugging Face checkpoint
/// converted by `quantize convert`, run as the real tool.
/// </summary>
public sealed class TinyModelFixture : IDisposable
{
    private readonly TempDirectory _directory = new("appliance-cli");

    public TinyModelFixture()
    {
        var checkpoint = _directory.Combine("hf");
        SyntheticModel.Write(SyntheticShapes.TinyLlama, seed: 1, checkpoint);
        ModelPath = _directory.Combine("model");
        RunQuantize("convert", checkpoint, ModelPath, "--context-length", "96");
    }

    public string ModelPath { get; }

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public void Dispose() => _directory.Dispose();

    private static void RunQuantize(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "quantize.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"quantize {string.Join(' ', args)} failed ({process.ExitCode}): {error}{output.Result}");
        }
    }
}
