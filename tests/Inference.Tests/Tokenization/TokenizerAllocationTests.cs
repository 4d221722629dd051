using Appliance.Inference.Tokenization;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>The hot paths allocate nothing once warmed up: streaming decode per token, and encoding text it has seen.</summary>
public sealed class TokenizerAllocationTests
{
    private static readonly string Text = new MixedTextGenerator(seed: 17).Corpus(20_000);

    public static TheoryData<string> Names => RealTokenizers.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Streaming_decode_allocates_nothing_per_token(string name)
    {
        var tokenizer = RealTokenizers.Get(name);
        var ids = tokenizer.Encode(Text);
        var detokenizer = tokenizer.CreateStreamingDetokenizer();
        var chars = StreamAll(detokenizer, ids);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = StreamAll(detokenizer, ids);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(chars, again);
        Assert.True(allocated == 0, $"{name}: streaming {ids.Length} tokens allocated {allocated} bytes");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Encoding_text_seen_before_allocates_nothing(string name)
    {
        var tokenizer = RealTokenizers.Get(name);
        var ids = new List<int>(Text.Length);
        tokenizer.Encode(Text, ids);
        var count = ids.Count;
        ids.Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        tokenizer.Encode(Text, ids);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(count, ids.Count);
        Assert.True(allocated == 0, $"{name}: encoding {Text.Length} chars allocated {allocated} bytes");
    }

    private static long StreamAll(StreamingDetokenizer detokenizer, int[] ids)
    {
        long chars = 0;
        foreach (var id in ids)
        {
            chars += detokenizer.Push(id).Length;
        }

        return chars + detokenizer.Finish().Length;
    }
}
