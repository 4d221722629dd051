using Appliance.Engine;
using Appliance.Inference.Tokenization;
using Appliance.Tests.Cli;
using System.Text;

namespace Appliance.Tests.Engine;

public sealed class ReplyTextStreamTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    private readonly Tokenizer _tokenizer = Tokenizer.FromDirectory(model.ModelPath);

    [Fact]
    public void Deltas_concatenate_to_the_decoded_text()
    {
        var ids = _tokenizer.Encode("Streaming text, token by token: ünïcode too!", addSpecialTokens: false);
        var deltas = new StringBuilder();
        var stream = new ReplyTextStream(_tokenizer, [], delta => deltas.Append(delta));

        foreach (var id in ids)
        {
            Assert.True(stream.Write(id));
        }

        stream.Finish();

        Assert.Equal(_tokenizer.Decode(ids, skipSpecialTokens: true), deltas.ToString());
        Assert.Equal(deltas.ToString(), stream.Text);
    }

    [Fact]
    public void Ids_without_text_add_nothing_instead_of_failing_the_reply()
    {
        var ids = _tokenizer.Encode("ok", addSpecialTokens: false);
        var deltas = new StringBuilder();
        var stream = new ReplyTextStream(_tokenizer, [], delta => deltas.Append(delta));

        // A padded logits row can hold ids past the tokenizer's vocabulary.
        Assert.True(stream.Write(_tokenizer.VocabularySize + 10));
        foreach (var id in ids)
        {
            stream.Write(id);
        }

        stream.Write(int.MaxValue);
        stream.Finish();

        Assert.Equal("ok", deltas.ToString());
    }

    [Fact]
    public void A_stop_string_split_across_tokens_is_cut_off_with_everything_after_it()
    {
        var ids = _tokenizer.Encode("first part END second part", addSpecialTokens: false);
        var stream = new ReplyTextStream(_tokenizer, ["END"], _ => { });
        var written = 0;
        while (written < ids.Length && stream.Write(ids[written]))
        {
            written++;
        }

        stream.Finish();

        Assert.True(stream.IsStopped);
        Assert.Equal("first part ", stream.Text);
    }

    [Fact]
    public void The_token_id_limit_stops_at_the_tokenizer_s_vocabulary_when_the_model_has_more_logits()
    {
        var chat = ChatPrompt.Load(model.ModelPath);

        Assert.Equal(_tokenizer.VocabularySize, chat.TokenIdLimit(_tokenizer.VocabularySize + 64));
        Assert.Equal(100, chat.TokenIdLimit(100));
    }
}
