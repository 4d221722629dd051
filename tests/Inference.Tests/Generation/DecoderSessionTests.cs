using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Generation;

public sealed class DecoderSessionTests : IDisposable
{
    private readonly TempDirectory _directory = new("decoder-session");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Cached_decoding_matches_recomputing_the_whole_sequence(bool shareBuffer)
    {
        using var cached = Open(new ToyDecoder { ShareBuffer = shareBuffer });
        using var recomputed = Open(new ToyDecoder { ShareBuffer = shareBuffer }, "again");
        List<int> sequence = [3, 1, 4, 1, 5];
        cached.Forward(sequence.ToArray());

        for (var step = 0; step < 12; step++)
        {
            recomputed.Reset();
            recomputed.Forward(sequence.ToArray());
            AssertClose(recomputed.Logits, cached.Logits);

            var next = Sampler.ArgMax(cached.Logits);
            sequence.Add(next);
            cached.Forward([next]);
            Assert.Equal(sequence.Count, cached.Length);
        }
    }

    [Fact]
    public void Shared_buffer_mode_holds_one_max_length_buffer_per_tensor_and_separate_mode_two()
    {
        var spec = new ToyDecoder();
        using var shared = Open(spec);
        using var separate = Open(spec with { ShareBuffer = false }, "separate");
        var perTensor = (long)spec.NumKvHeads * spec.MaxLength * spec.HeadSize * sizeof(float);

        Assert.True(shared.SharesKvBuffer);
        Assert.False(separate.SharesKvBuffer);
        Assert.Equal(spec.Layers * 2 * perTensor, shared.KvCacheBytes);
        Assert.Equal(spec.Layers * 2 * 2 * perTensor, separate.KvCacheBytes);
        Assert.Equal(spec.Layers * 2L * spec.NumKvHeads * spec.HeadSize * sizeof(float), shared.KvBytesPerPosition);
    }

    [Fact]
    public void A_graph_with_every_position_s_logits_gives_the_same_last_row()
    {
        using var lastOnly = Open(new ToyDecoder());
        using var allLogits = Open(new ToyDecoder { AllLogits = true }, "all");

        foreach (var tokens in new[] { new[] { 2, 7, 9, 4 }, [11], [3] })
        {
            lastOnly.Forward(tokens);
            allLogits.Forward(tokens);
            AssertClose(lastOnly.Logits, allLogits.Logits);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Position_ids_count_on_from_the_cached_length(bool allLogits)
    {
        using var plain = Open(new ToyDecoder { AllLogits = allLogits });
        using var positioned = Open(new ToyDecoder { AllLogits = allLogits, PositionIds = true }, "positions");

        // The toy adds the last position id to token 0's logit: 0-based positions 3, 4, then 7 after [5, 6, 7].
        foreach (var (tokens, lastPosition) in new[] { (new[] { 1, 2, 3, 4 }, 3), ([9], 4), ([5, 6, 7], 7) })
        {
            plain.Forward(tokens);
            positioned.Forward(tokens);
            Assert.Equal(plain.Logits[0] + lastPosition, positioned.Logits[0], 3);
            AssertClose(plain.Logits[1..], positioned.Logits[1..]);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_kv_cache_becomes_resident_only_as_positions_are_written(bool shareBuffer)
    {
        // One KV head of 16 floats: 64 positions fill a 4 KiB page, so a 4,096-position cache is 64 pages per buffer.
        var spec = new ToyDecoder { MaxLength = 4096, ShareBuffer = shareBuffer };
        using var session = Open(spec);
        var rowBytes = (long)spec.HeadSize * sizeof(float);
        var buffers = spec.Layers * 2 * (shareBuffer ? 1 : 2);
        long Pages(int positions) => (positions * rowBytes + Environment.SystemPageSize - 1) / Environment.SystemPageSize * Environment.SystemPageSize;

        Assert.Equal(0, session.KvCacheResidentBytes);
        session.Forward([1, 2, 3, 4, 5]);
        var afterPrompt = session.KvCacheResidentBytes;
        for (var token = 0; token < 195; token++)
        {
            session.Forward([token % spec.VocabSize]);
        }

        var after200 = session.KvCacheResidentBytes;
        Assert.InRange(afterPrompt, spec.Layers * 2 * Pages(5), buffers * Pages(5));
        Assert.InRange(after200, spec.Layers * 2 * Pages(200), buffers * Pages(200));
        Assert.True(after200 * 10 < session.KvCacheBytes, $"{after200} of {session.KvCacheBytes} bytes resident after 200 positions");

        // A truncation keeps the pages: the next conversation writes over them.
        session.Reset();
        session.Forward([1, 2, 3]);
        Assert.Equal(after200, session.KvCacheResidentBytes);
    }

    [Fact]
    public void Max_sequence_length_option_caps_the_cache()
    {
        using var session = Open(new ToyDecoder(), options: new DecoderSessionOptions { MaxSequenceLength = 8 });

        Assert.Equal(8, session.Capacity);
        session.Forward([1, 2, 3, 4, 5, 6]);
        var error = Assert.Throws<ContextLengthExceededException>(() => session.Forward([7, 8, 9]));

        Assert.Equal((9, 8), (error.RequestedLength, error.MaxSequenceLength));
        Assert.Equal(6, session.Length);
        session.Forward([7, 8]);
        Assert.Equal(8, session.Length);
    }

    [Fact]
    public void Tokens_outside_the_vocabulary_are_rejected_before_running()
    {
        using var session = Open(new ToyDecoder());

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => session.Forward([1, 16]));

        Assert.Contains("Token id 16 at position 1 is outside the vocabulary [0, 16)", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, session.Length);
    }

    [Fact]
    public void Kv_heads_head_size_and_vocabulary_that_disagree_with_the_graph_are_named()
    {
        var spec = new ToyDecoder();
        var path = Write(spec);
        var config = spec.Config();
        config.Model.Decoder.NumKeyValueHeads = 2;
        config.Model.Decoder.NumAttentionHeads = 4;
        config.Model.Decoder.HeadSize = 8;
        config.Model.VocabSize = 20;
        config.Save(Path.Combine(path, GenAiConfig.FileName));

        var error = Assert.Throws<ModelDirectoryException>(() => Open(path));

        Assert.StartsWith($"{Path.Combine(path, "model.onnx")} does not match genai_config.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'past_key_values.0.key' has dimension 1 = 1 but model.decoder.num_key_value_heads is 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("'present.1.value' has dimension 3 = 16 but model.decoder.head_size is 8", error.Message, StringComparison.Ordinal);
        Assert.Contains("'logits' has dimension 2 = 16 but model.vocab_size is 20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_layer_count_that_disagrees_with_the_graph_is_named()
    {
        var spec = new ToyDecoder();
        var path = Write(spec);
        var fewer = spec.Config();
        fewer.Model.Decoder.NumHiddenLayers = 1;
        fewer.Save(Path.Combine(path, GenAiConfig.FileName));

        var error = Assert.Throws<ModelDirectoryException>(() => Open(path));
        Assert.Contains("the graph has input 'past_key_values.1.key', so more than the 1 layers", error.Message, StringComparison.Ordinal);

        var more = spec.Config();
        more.Model.Decoder.NumHiddenLayers = 3;
        more.Save(Path.Combine(path, GenAiConfig.FileName));

        error = Assert.Throws<ModelDirectoryException>(() => Open(path));
        Assert.Contains("no graph input 'past_key_values.2.key'", error.Message, StringComparison.Ordinal);
        Assert.Contains("no graph output 'present.2.value'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_the_config_gets_wrong_are_listed_with_the_graph_s_names()
    {
        var spec = new ToyDecoder();
        var path = Write(spec);
        var config = spec.Config();
        config.Model.Decoder.Inputs.PastKeyNames = "past.%d.k";
        config.Model.Decoder.Outputs.Logits = "scores";
        config.Save(Path.Combine(path, GenAiConfig.FileName));

        var error = Assert.Throws<ModelDirectoryException>(() => Open(path));

        Assert.Contains("no graph input 'past.0.k' (from model.decoder.inputs.past_key_names \"past.%d.k\"); the graph's inputs are input_ids, attention_mask, past_key_values.0.key", error.Message, StringComparison.Ordinal);
        Assert.Contains("no graph output 'scores'", error.Message, StringComparison.Ordinal);
        Assert.Contains("the graph needs input 'past_key_values.0.key', which genai_config.json does not describe", error.Message, StringComparison.Ordinal);
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= 1e-4f * Math.Max(1f, Math.Abs(expected[i])),
                $"logit {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    private string Write(ToyDecoder spec, string name = "model")
    {
        var path = _directory.Combine(name);
        Directory.CreateDirectory(path);
        spec.Write(path);
        return path;
    }

    private DecoderSession Open(ToyDecoder spec, string name = "model", DecoderSessionOptions? options = null) =>
        Open(Write(spec, name), options);

    private static DecoderSession Open(string path, DecoderSessionOptions? options = null) =>
        DecoderSession.Open(ModelDirectory.Open(path), options ?? new DecoderSessionOptions { IntraOpThreads = 1 });
}
