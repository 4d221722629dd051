using Appliance.Engine;
using Appliance.Inference.Templates;
using Appliance.Tests.Cli;
using Appliance.Tests.Mqtt;

namespace Appliance.Tests.MqttService;

/// <summary>
/// The whole path with nothing faked but the weights: Mosquitto, the service, the ONNX Runtime engine, the tokenizer
/// and chat template of a tiny synthetic-weight model (its answers are meaningless text, deterministic under greedy decoding).
/// </summary>
public sealed class RealEngineServiceTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task A_request_through_mqtt_is_answered_by_the_real_engine_exactly_as_the_generator_answers()
    {
        using var broker = MosquittoBroker.StartPlain();
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{broker.Port}", new OnnxGenerationEngineLoader(), modelPath: model.ModelPath);
        var replyTopic = $"test/{Guid.NewGuid():N}";
        await using var client = await ReplyObserver.StartAsync(broker.Port, replyTopic);
        var expected = GreedyReply.For(model.ModelPath, 10, new ChatMessage("system", "Be brief."), new ChatMessage("user", "What is MQTT?"));

        await client.PublishAsync(
            service.Topics.Request,
            """{"id":"real","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is MQTT?"}],"max_tokens":10,"temperature":0}""",
            replyTopic,
            [42]);
        var (final, deltas) = await client.NextFinalAsync();

        Assert.Equal("real", final.Id);
        Assert.Equal(expected.Text, final.Text);
        Assert.Equal(expected.Text, string.Concat(deltas.Select(d => d.Delta)));
        Assert.Equal(expected.PromptTokens, final.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(expected.TokenTexts.Length, final.Json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.True(final.Json.GetProperty("timings").GetProperty("decode_tps").GetDouble() >= 0);
        Assert.Equal("model", service.Board.Current.Model);
        Assert.Equal(0, final.Json.GetProperty("timings").GetProperty("cached_prompt_tokens").GetInt32());

        // The same conversation again: the kept prefix (Engine:PrefixCacheSlots, default 1) supplies all but the last prompt token.
        await client.PublishAsync(
            service.Topics.Request,
            """{"id":"again","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"What is MQTT?"}],"max_tokens":10,"temperature":0}""",
            replyTopic);
        var again = (await client.NextFinalAsync()).Final;
        Assert.Equal(expected.Text, again.Text);
        Assert.Equal(expected.PromptTokens - 1, again.Json.GetProperty("timings").GetProperty("cached_prompt_tokens").GetInt32());

        await client.PublishAsync(service.Topics.Request, $$"""{"id":"long","prompt":"{{string.Join(' ', Enumerable.Repeat("word", 100))}}","max_tokens":10}""", replyTopic);
        var tooLarge = (await client.NextFinalAsync()).Final;
        Assert.Equal(("long", "too_large"), (tooLarge.Id, tooLarge.ErrorCode));
    }
}
