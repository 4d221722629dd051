using Appliance.Cli;
using Appliance.Inference.Models;
using Appliance.Telemetry.Process;
using Microsoft.ML.OnnxRuntimeGenAI;
using System.CommandLine;
using System.Text.Json;

namespace Appliance.Benchmarks.Peer;

/// <summary>`genai`: ONNX Runtime GenAI on a model directory, measured like `appliance bench`, as one JSON object.</summary>
internal static class GenAiCommand
{
    public static Command Create()
    {
        var workload = new WorkloadOptions("Measured runs (after one warm-up run)");
        var command = new Command("genai", "Measure ONNX Runtime GenAI on a model directory like `appliance bench --json`");
        workload.AddTo(command);
        command.SetAction((parse, _) => CommandLineRunner.RunAsync(parse, output =>
        {
            // GenAI insists on a shutdown once its last object is gone: it aborts the process at exit otherwise.
            using var runtime = new OgaHandle();
            output.WriteLine(JsonSerializer.Serialize(Measure(workload.Read(parse)), PeerJsonContext.Default.GenAiBenchmarkReport));
            return Task.FromResult(0);
        }));
        return command;
    }

    /// <summary>Runs in this process; the caller owns GenAI's lifetime (an <see cref="OgaHandle"/>).</summary>
    public static GenAiBenchmarkReport Measure(BenchmarkWorkload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var config = GenAiConfig.Load(Path.Combine(workload.ModelPath, GenAiConfig.FileName));
        GenAiMeasurement measurement;
        IReadOnlyList<string> ortLibrary;
        using (var model = GenAiModels.Open(workload.ModelPath, workload.Threads))
        {
            measurement = GenAiBenchmark.Run(model, config.Model.VocabSize, config.Model.EosTokenId, workload.PromptTokens, workload.GenTokens, workload.Repetitions);
            ortLibrary = MappedLibraries.Named("libonnxruntime.so");
        }

        var speed = measurement.Speed;
        return new GenAiBenchmarkReport
        {
            Model = workload.ModelPath,
            GenaiVersion = GenAiModels.PackageVersion,
            OrtLibrary = ortLibrary,
            Threads = workload.Threads,
            PromptTokens = workload.PromptTokens,
            GenTokens = workload.GenTokens,
            Repetitions = workload.Repetitions,
            PrefillTokensPerS = speed.PrefillTokensPerSecond,
            DecodeTokensPerS = speed.DecodeTokensPerSecond,
            DecodeStepMedianMs = speed.DecodeStepMedianMilliseconds,
            TtftMs = speed.TimeToFirstTokenMilliseconds,
            GeneratorSetupMs = measurement.GeneratorSetupMilliseconds,
            PeakRssBytes = new ProcessMemory().Read().PeakResidentBytes,
            AllocBytesPerToken = speed.AllocatedBytesPerDecodedToken,
        };
    }
}
