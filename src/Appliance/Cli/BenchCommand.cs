using Appliance.Benchmarks;
using Appliance.Inference.Tokenization;
using Appliance.Telemetry.Process;
using System.CommandLine;
using System.Text.Json;

namespace Appliance.Cli;

/// <summary>
/// `appliance bench`: prefill and decode speed, time to first token, peak RSS against the model's own bytes, managed
/// allocation per token, how close decode comes to the memory-bandwidth roofline measured on the same machine in the
/// same run, and with --profile where each decode step's time goes, operator by operator.
/// </summary>
internal static class BenchCommand
{
    internal static Command Create()
    {
        var model = new ModelOptions();
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Prompt length", DefaultValueFactory = _ => 128 };
        var genTokens = new Option<int>("--gen-tokens") { Description = "Tokens generated per run", DefaultValueFactory = _ => 64 };
        var repetitions = new Option<int>("--repetitions") { Description = "Measured runs (after one warm-up run)", DefaultValueFactory = _ => 3 };
        var bandwidthMib = new Option<int>("--bandwidth-mib")
        {
            Description = "Buffer the bandwidth probe streams through; keep it far above the last-level cache",
            DefaultValueFactory = _ => (int)(MemoryBandwidthProbe.DefaultBufferBytes >> 20),
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var profile = new Option<string?>("--profile")
        {
            HelpName = "PREFIX",
            Description = "Write ONNX Runtime's per-operator JSON profile with this path prefix (its path goes to stderr) and add decode time per operator to the report",
        };
        var jsonSchema = new Option<FileInfo?>("--json-schema")
        {
            HelpName = "FILE",
            Description = "Also decode under this JSON schema (temperature 1, seeded) and report the constraint's mask time per token as a share of the decode step",
        };
        var sessionConfig = new Option<string[]>("--session-config")
        {
            HelpName = "ENTRY",
            Description = "Add an ONNX Runtime session config entry KEY=VALUE (keys as in onnxruntime_session_options_config_keys.h), e.g. session.disable_prepacking=1, to measure its effect; repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("bench", "Measure generation speed against this machine's memory-bandwidth roofline")
        {
            promptTokens, genTokens, repetitions, bandwidthMib, json, profile, jsonSchema, sessionConfig,
        };
        model.AddTo(command);

        command.SetAction((parse, cancellationToken) => CommandLineRunner.RunAsync(parse, output =>
        {
            var prompt = Positive(parse.GetValue(promptTokens), "--prompt-tokens");
            var generated = Positive(parse.GetValue(genTokens), "--gen-tokens");
            var runs = Positive(parse.GetValue(repetitions), "--repetitions");
            var bufferBytes = (long)Positive(parse.GetValue(bandwidthMib), "--bandwidth-mib") << 20;

            // The session and the bandwidth probe must use the same number of threads for the roofline to be fair.
            var threads = model.RequestedThreads(parse) ?? Environment.ProcessorCount;
            var profilePrefix = parse.GetValue(profile);
            var memory = new ProcessMemory();
            var beforeLoad = memory.Read().ResidentBytes;
            using var loaded = model.Load(parse, threads, profilePrefix, ConfigEntries(parse.GetValue(sessionConfig) ?? []));
            var decoder = loaded.Generator.Decoder;
            var afterLoad = memory.Read().ResidentBytes;
            var speed = GenerationBenchmark.Run(loaded.Generator, prompt, generated, runs, cancellationToken);
            var structured = parse.GetValue(jsonSchema) is { } schemaFile
                ? StructuredBenchmark.Run(loaded.Generator, Tokenizer.FromDirectory(loaded.Directory.Path), schemaFile.FullName, prompt, generated, runs, cancellationToken)
                : null;
            IReadOnlyList<OperatorTime>? decodeProfile = null;
            if (profilePrefix is not null)
            {
                var profilePath = decoder.EndProfiling();
                parse.InvocationConfiguration.Error.WriteLine($"profile: {profilePath}");
                decodeProfile = OrtProfileSummary.DecodeTime(profilePath);
            }

            // Peak RSS is read before the probe allocates its buffer, so it reflects the model alone.
            var peakRss = memory.Read().PeakResidentBytes;
            var bandwidth = MemoryBandwidthProbe.Measure(threads, bufferBytes);
            var roofline = DecodeRoofline.Compute(loaded.Directory.WeightFileBytes, decoder.KvBytesPerPosition, prompt, generated, bandwidth.BytesPerSecond);
            var report = new BenchmarkReport
            {
                Model = loaded.Directory.Path,
                OrtVersion = Inference.Runtime.OrtLibrary.Version,
                OrtLibrary = Inference.Runtime.OrtLibrary.LoadedPath,
                Threads = threads,
                PromptTokens = prompt,
                GenTokens = generated,
                Repetitions = runs,
                KvSharedBuffer = decoder.SharesKvBuffer,
                PrefillTokensPerS = speed.PrefillTokensPerSecond,
                DecodeTokensPerS = speed.DecodeTokensPerSecond,
                DecodeStepMedianMs = speed.DecodeStepMedianMilliseconds,
                TtftMs = speed.TimeToFirstTokenMilliseconds,
                PeakRssBytes = peakRss,
                KvCacheBytes = decoder.KvCacheBytes,
                Memory = new MemoryBreakdown(beforeLoad, afterLoad, peakRss, decoder.KvCacheBytes, decoder.KvCacheResidentBytes),
                AllocBytesPerToken = speed.AllocatedBytesPerDecodedToken,
                BandwidthGbPerS = bandwidth.GigabytesPerSecond,
                BandwidthBufferBytes = bandwidth.BufferBytes,
                WeightBytes = roofline.WeightBytes,
                KvBytesPerToken = roofline.KvBytesPerToken,
                BytesPerToken = roofline.BytesPerToken,
                RooflineTokensPerS = roofline.TokensPerSecond,
                RooflineFraction = speed.DecodeTokensPerSecond / roofline.TokensPerSecond,
                DecodeProfile = decodeProfile,
                Structured = structured,
            };
            output.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(report, BenchmarkJsonContext.Default.BenchmarkReport) : BenchmarkTable.Format(report));
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Dictionary<string, string> ConfigEntries(string[] entries) =>
        entries.Select(entry => entry.Split('=', 2) is [{ Length: > 0 } key, var value]
                ? (key, value)
                : throw new UsageException($"--session-config takes KEY=VALUE, got \"{entry}\"."))
            .ToDictionary(entry => entry.key, entry => entry.value, StringComparer.Ordinal);

    private static int Positive(int value, string option) =>
        value > 0 ? value : throw new UsageException($"{option} must be at least 1, got {value}.");
}
