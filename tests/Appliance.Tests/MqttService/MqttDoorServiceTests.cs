using Appliance.Contract;
using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Mqtt;
using Appliance.State;
using Appliance.Tests.Mqtt;
using System.Text;

namespace Appliance.Tests.MqttService;

/// <summary>The MQTT contract end to end through a real Mosquitto, with a scripted engine behind the service.</summary>
public sealed class MqttDoorServiceTests : IClassFixture<PlainBrokerFixture>
{
    private readonly MosquittoBroker _broker;

    public MqttDoorServiceTests(PlainBrokerFixture fixture)
    {
        _broker = fixture.Broker;
    }

    private string ReplyTopic { get; } = $"test/{Guid.NewGuid():N}/reply";

    [Fact]
    public async Task An_mqtt5_request_streams_deltas_then_a_final_echoing_the_correlation_data()
    {
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        byte[] correlation = [1, 2, 3, 250];

        await client.PublishAsync(service.Topics.Request, """{"id":"q1","prompt":"say hello","max_tokens":16,"temperature":0.5,"top_p":0.9,"top_k":40,"min_p":0.1,"repetition_penalty":1.2,"seed":7,"stop":["\n"]}""", ReplyTopic, correlation);
        var (final, deltas) = await client.NextFinalAsync();

        // Deltas that pile up while the broker is busy are joined, so only their concatenation is fixed.
        Assert.Equal("Hello, world!", string.Concat(deltas.Select(d => d.Delta)));
        Assert.Equal(Enumerable.Range(0, deltas.Count), deltas.Select(d => d.Seq));
        Assert.All(deltas, d => Assert.Equal("q1", d.Id));
        Assert.All([.. deltas, final], r => Assert.Equal(correlation, r.Message.CorrelationData!.Value.ToArray()));
        Assert.All([.. deltas, final], r => Assert.Equal("application/json", r.Message.ContentType));
        Assert.Equal("q1", final.Id);
        Assert.Equal("Hello, world!", final.Text);
        Assert.Equal("stop", final.FinishReason);
        Assert.Equal(2, final.Json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, final.Json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var timings = final.Json.GetProperty("timings");
        Assert.Equal(5, timings.GetProperty("ttft_ms").GetDouble());
        Assert.Equal(200, timings.GetProperty("prefill_tps").GetDouble());
        Assert.Equal(40, timings.GetProperty("decode_tps").GetDouble());
        Assert.Equal(20, timings.GetProperty("total_ms").GetDouble());

        var request = await engine.NextStartedAsync();
        Assert.Equal(16, request.MaxTokens);
        Assert.Equal(new SamplingRequest { Temperature = 0.5, TopP = 0.9, TopK = 40, MinP = 0.1, RepetitionPenalty = 1.2, Seed = 7 }, request.Sampling);
        Assert.Equal(["\n"], request.Stop);
    }

    [Fact]
    public async Task The_request_path_tells_the_generation_board_each_token_and_the_answer_for_the_panel_display()
    {
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        var progress = new List<GenerationProgress>();
        service.Generation.Changed += (_, p) =>
        {
            lock (progress)
            {
                progress.Add(p);
            }
        };

        await client.PublishAsync(service.Topics.Request, """{"id":"g1","prompt":"say hello"}""", ReplyTopic);
        await client.NextFinalAsync();

        lock (progress)
        {
            Assert.True(progress[0].Generating);
            Assert.Equal(new GenerationProgress(false, 0, "Hello, world!"), progress[^1]);
        }
    }

    [Fact]
    public async Task A_3_1_1_client_gets_its_reply_on_reply_to()
    {
        await using var service = await ServiceHarness.StartAsync(_broker, new ScriptedEngine());
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic, MqttProtocolVersion.V311);
        Assert.Equal(MqttProtocolVersion.V311, client.Client.ConnectionInfo!.ProtocolVersion);

        await client.PublishAsync(service.Topics.Request, $$"""{"id":"old-client","prompt":"hi","reply_to":"{{ReplyTopic}}","stream":false}""");
        var (final, deltas) = await client.NextFinalAsync();

        Assert.Empty(deltas);
        Assert.Equal("old-client", final.Id);
        Assert.Equal("Hello, world!", final.Text);
        Assert.Null(final.Message.CorrelationData);
    }

    [Fact]
    public async Task Without_a_response_topic_replies_go_to_the_base_response_topic_with_an_assigned_id_when_none_was_given()
    {
        await using var service = await ServiceHarness.StartAsync(_broker, new ScriptedEngine());
        await using var client = await ReplyObserver.StartAsync(_broker.Port, $"{service.Topics.Base}/response/+");

        await client.PublishAsync(service.Topics.Request, """{"id":"r7","prompt":"hi","stream":false}""");
        var named = (await client.NextFinalAsync()).Final;
        await client.PublishAsync(service.Topics.Request, """{"prompt":"hi","stream":false}""");
        var anonymous = (await client.NextFinalAsync()).Final;

        Assert.Equal($"{service.Topics.Base}/response/r7", named.Message.Topic);
        Assert.StartsWith("req-", anonymous.Id, StringComparison.Ordinal);
        Assert.Equal($"{service.Topics.Base}/response/{anonymous.Id}", anonymous.Message.Topic);
    }

    [Fact]
    public async Task Cancel_mid_stream_ends_the_request_with_a_cancelled_error()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);

        await client.PublishAsync(service.Topics.Request, """{"id":"long","prompt":"tell me a story"}""", ReplyTopic);
        await engine.NextStartedAsync();
        engine.Step();
        Assert.Equal("Hello", (await client.NextAsync()).Delta);
        await client.PublishAsync(service.Topics.Cancel, """{"id":"long"}""");
        var (final, deltas) = await client.NextFinalAsync();

        Assert.Empty(deltas);
        Assert.Equal("long", final.Id);
        Assert.Equal(ErrorCodes.Cancelled, final.ErrorCode);
        Assert.Contains("cancel message", final.ErrorMessage, StringComparison.Ordinal);
        await service.WaitForStateAsync(ServiceState.Ready).Within();
    }

    [Fact]
    public async Task A_queued_request_can_be_cancelled_before_it_runs()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);

        await client.PublishAsync(service.Topics.Request, """{"id":"first","prompt":"a","stream":false}""", ReplyTopic);
        await engine.NextStartedAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"second","prompt":"b","stream":false}""", ReplyTopic);
        await client.PublishAsync(service.Topics.Cancel, """{"id":"second"}""");
        var cancelled = await client.NextAsync();
        engine.Step(4);
        var done = await client.NextAsync();

        Assert.Equal(("second", ErrorCodes.Cancelled), (cancelled.Id, cancelled.ErrorCode));
        Assert.Equal(("first", "Hello, world!"), (done.Id, done.Text));
        Assert.Equal(1, engine.Calls);
    }

    [Fact]
    public async Task A_full_queue_answers_busy_at_once_and_the_queued_requests_still_complete()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine, limits => limits.QueueDepth = 2);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);

        await client.PublishAsync(service.Topics.Request, """{"id":"running","prompt":"a","stream":false}""", ReplyTopic);
        await engine.NextStartedAsync();
        await service.WaitForStateAsync(ServiceState.Busy).Within();
        foreach (var id in new[] { "queued-1", "queued-2", "refused" })
        {
            await client.PublishAsync(service.Topics.Request, $$"""{"id":"{{id}}","prompt":"a","stream":false}""", ReplyTopic);
        }

        var busy = await client.NextAsync();
        Assert.Equal(("refused", ErrorCodes.Busy), (busy.Id, busy.ErrorCode));
        Assert.Contains("Requests:QueueDepth", busy.ErrorMessage, StringComparison.Ordinal);

        engine.Step(12);
        var finals = new[] { await client.NextAsync(), await client.NextAsync(), await client.NextAsync() };
        Assert.Equal(["running", "queued-1", "queued-2"], finals.Select(f => f.Id));
        Assert.All(finals, f => Assert.Equal("Hello, world!", f.Text));
        await service.WaitForStateAsync(ServiceState.Ready).Within();
    }

    [Fact]
    public async Task A_new_request_reusing_a_taken_id_gets_duplicate_id_whether_the_first_is_running_or_answered()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        const string Request = """{"id":"once","prompt":"a","stream":false}""";

        await client.PublishAsync(service.Topics.Request, Request, ReplyTopic);
        await engine.NextStartedAsync();
        await client.PublishAsync(service.Topics.Request, Request, ReplyTopic);
        var whileRunning = await client.NextAsync();
        engine.Step(4);
        var answer = await client.NextAsync();
        await client.PublishAsync(service.Topics.Request, Request, ReplyTopic);
        var afterAnswer = await client.NextAsync();

        Assert.Equal(("once", ErrorCodes.DuplicateId), (whileRunning.Id, whileRunning.ErrorCode));
        Assert.Equal($"id 'once' was already taken for a request replying to {ReplyTopic}; give every request its own id", whileRunning.ErrorMessage);
        Assert.Equal(("once", "Hello, world!"), (answer.Id, answer.Text));
        Assert.Equal(("once", ErrorCodes.DuplicateId), (afterAnswer.Id, afterAnswer.ErrorCode));
        Assert.Equal(1, engine.Calls);
    }

    [Fact]
    public async Task Correlation_data_is_part_of_the_request_key_and_json_ids_minus_zero_and_zero_are_two_ids()
    {
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);

        await client.PublishAsync(service.Topics.Request, """{"id":"same","prompt":"a","stream":false}""", ReplyTopic, [1]);
        var first = await client.NextAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"same","prompt":"a","stream":false}""", ReplyTopic, [2]);
        var otherCorrelation = await client.NextAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":0,"prompt":"a","stream":false}""", ReplyTopic);
        var zero = await client.NextAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":-0,"prompt":"a","stream":false}""", ReplyTopic);
        var minusZero = await client.NextAsync();

        Assert.All([first, otherCorrelation, zero, minusZero], reply => Assert.Null(reply.ErrorCode));
        Assert.Equal(["same", "same", "0", "-0"], [first.Id, otherCorrelation.Id, zero.Id, minusZero.Id]);
        Assert.Equal(4, engine.Calls);
    }

    [Fact]
    public async Task A_request_over_its_wall_clock_limit_ends_with_the_text_so_far_and_finish_reason_timeout()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine, limits => limits.TimeoutSeconds = 0.3);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);

        await client.PublishAsync(service.Topics.Request, """{"id":"slow","prompt":"a"}""", ReplyTopic);
        await engine.NextStartedAsync();
        engine.Step();
        var (final, deltas) = await client.NextFinalAsync();

        Assert.Equal(["Hello"], deltas.Select(d => d.Delta));
        Assert.Equal("timeout", final.FinishReason);
        Assert.Equal("Hello", final.Text);
        Assert.Equal(1, final.Json.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Limits_are_answered_with_too_large_naming_what_was_exceeded()
    {
        var engine = new ScriptedEngine { ContextLength = 16 };
        await using var service = await ServiceHarness.StartAsync(_broker, engine, limits =>
        {
            limits.MaxPayloadBytes = 512;
            limits.MaxTokensCap = 8;
            limits.DefaultMaxTokens = 8;
        });
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);

        await client.PublishAsync(service.Topics.Request, """{"id":"words","prompt":"one two three four five six seven eight nine","max_tokens":8}""", ReplyTopic);
        var prompt = await client.NextAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"cap","prompt":"hi","max_tokens":9}""", ReplyTopic);
        var cap = await client.NextAsync();
        await client.PublishAsync(service.Topics.Request, $$"""{"id":"big","prompt":"{{new string('x', 600)}}"}""", ReplyTopic);
        var payload = await client.NextAsync();

        Assert.Equal(("words", ErrorCodes.TooLarge), (prompt.Id, prompt.ErrorCode));
        Assert.Contains("the prompt is 9 tokens; with max_tokens 8 the model's context of 16 tokens leaves room for 8", prompt.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(("cap", ErrorCodes.TooLarge), (cap.Id, cap.ErrorCode));
        Assert.Contains("max_tokens", cap.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.TooLarge, payload.ErrorCode);
        Assert.Contains("Requests:MaxPayloadBytes", payload.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, engine.Calls);
    }

    [Fact]
    public async Task Without_max_tokens_requests_and_asks_get_the_room_left_in_the_context_and_only_an_explicit_max_tokens_is_too_large()
    {
        // The demo model's situation: DefaultMaxTokens (256) is the whole context, yet a short prompt must be answered.
        var engine = new ScriptedEngine { ContextLength = 6 };
        await using var service = await ServiceHarness.StartAsync(_broker, engine, limits => limits.DefaultMaxTokens = 256);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        await using var answers = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Answer);

        await client.PublishAsync(service.Topics.Request, """{"id":"short","prompt":"one two three four"}""", ReplyTopic);
        var (fitted, _) = await client.NextFinalAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"explicit","prompt":"one two three four","max_tokens":3}""", ReplyTopic);
        var (explicitTooLarge, _) = await client.NextFinalAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"full","prompt":"one two three four five six"}""", ReplyTopic);
        var (full, _) = await client.NextFinalAsync();
        await answers.PublishAsync(service.Topics.Ask, "Hello");
        var asked = await answers.NextAsync();

        Assert.Null(fitted.ErrorMessage);
        Assert.Equal(("length", "Hello,"), (fitted.FinishReason, fitted.Text));
        Assert.Equal(ErrorCodes.TooLarge, explicitTooLarge.ErrorCode);
        Assert.Contains("with max_tokens 3 the model's context of 6 tokens leaves room for 3 prompt tokens", explicitTooLarge.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.TooLarge, full.ErrorCode);
        Assert.Contains("the prompt is 6 tokens; the model's context of 6 tokens leaves no room for a reply", full.ErrorMessage, StringComparison.Ordinal);
        Assert.Null(asked.ErrorMessage);
        Assert.Equal("Hello, world!", asked.Text);
    }

    [Fact]
    public async Task Status_is_retained_with_model_and_version_and_a_vanished_service_is_reported_offline_by_its_will()
    {
        using var relay = new TcpRelay(_broker.Port);
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{relay.Port}", new ScriptedEngineLoader(new ScriptedEngine()));
        await using var observer = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Status);

        await observer.NextStatusAsync("ready");
        await using var late = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Status);
        var ready = await late.NextAsync();
        Assert.True(ready.Message.Retain);
        Assert.Equal("ready", ready.Json.GetProperty("state").GetString());
        Assert.Equal("scripted-model", ready.Json.GetProperty("model").GetString());
        Assert.Equal(ApplianceVersion.Current, ready.Json.GetProperty("version").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, ready.Json.GetProperty("detail").ValueKind);

        relay.Cut();
        await observer.NextStatusAsync("offline");
        var back = await observer.NextStatusAsync("ready");
        Assert.Equal("scripted-model", back.Json.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Stopping_cancels_queued_requests_lets_the_running_one_finish_and_publishes_offline()
    {
        var engine = new ScriptedEngine { Stepped = true };
        var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        await using var status = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Status);
        await client.PublishAsync(service.Topics.Request, """{"id":"running","prompt":"a","stream":false}""", ReplyTopic);
        await engine.NextStartedAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"queued","prompt":"a","stream":false}""", ReplyTopic);
        await service.WaitForStateAsync(ServiceState.Busy).Within();

        var stopping = service.StopAsync();
        var queued = await client.NextAsync();
        engine.Step(4);
        var running = await client.NextAsync();
        await stopping;

        Assert.Equal(("queued", ErrorCodes.Cancelled, "the service is stopping"), (queued.Id, queued.ErrorCode, queued.ErrorMessage));
        Assert.Equal(("running", "Hello, world!"), (running.Id, running.Text));
        await status.NextStatusAsync("offline");
        await using var later = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Status);
        var retained = await later.NextAsync();
        Assert.True(retained.Message.Retain);
        Assert.Equal("offline", retained.Json.GetProperty("state").GetString());
        Assert.Equal(ServiceState.Offline, service.Board.Current.State);
        Assert.True(engine.IsDisposed);
        await service.DisposeAsync();
    }

    [Fact]
    public async Task Stopping_cancels_a_running_request_that_outlasts_the_grace()
    {
        var engine = new ScriptedEngine { Stepped = true };
        var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", new ScriptedEngineLoader(engine), shutdownGrace: TimeSpan.FromMilliseconds(100));
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        await client.PublishAsync(service.Topics.Request, """{"id":"endless","prompt":"a"}""", ReplyTopic);
        await engine.NextStartedAsync();

        await service.StopAsync();
        var (final, _) = await client.NextFinalAsync();

        Assert.Equal(("endless", ErrorCodes.Cancelled, "the service is stopping"), (final.Id, final.ErrorCode, final.ErrorMessage));
        await service.DisposeAsync();
    }

    [Fact]
    public async Task Ask_prompts_and_panel_prompts_are_answered_on_the_retained_answer_topic()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine, limits => limits.QueueDepth = 1);
        await using var answers = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Answer);

        await answers.PublishAsync(service.Topics.Ask, "  What is the weather?  ");
        var asked = await engine.NextStartedAsync();
        Assert.True(service.Service.SubmitPrompt("from the panel", "panel"));
        Assert.False(service.Service.SubmitPrompt("one too many", "panel"));
        var busy = await answers.NextAsync();
        engine.Step(8);
        var first = await answers.NextAsync();
        var second = await answers.NextAsync();

        Assert.Equal("What is the weather?", Assert.Single(asked.Messages).Content);
        Assert.Equal(ErrorCodes.Busy, busy.ErrorCode);
        Assert.StartsWith("ask-", first.Id, StringComparison.Ordinal);
        Assert.StartsWith("panel-", second.Id, StringComparison.Ordinal);
        Assert.Equal("Hello, world!", second.Text);
        await using var later = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Answer);
        var retained = await later.NextAsync();
        Assert.True(retained.Message.Retain);
        Assert.Equal(second.Id, retained.Id);
        await service.WaitForStateAsync(ServiceState.Ready).Within();
    }

    [Fact]
    public async Task The_panel_can_cancel_the_running_request()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        Assert.False(service.Service.CancelCurrent("nothing runs"));

        await client.PublishAsync(service.Topics.Request, """{"id":"p","prompt":"a","stream":false}""", ReplyTopic);
        await engine.NextStartedAsync();

        Assert.True(service.Service.CancelCurrent("cancelled on the panel"));
        var final = await client.NextAsync();
        Assert.Equal((ErrorCodes.Cancelled, "cancelled on the panel"), (final.ErrorCode, final.ErrorMessage));
    }

    [Fact]
    public async Task Observers_publish_under_the_base_topic_and_get_false_before_the_broker_is_connected()
    {
        var unreachable = $"mqtt://127.0.0.1:{MosquittoBroker.FreeLoopbackPort()}";
        await using (var offline = await ServiceHarness.StartAsync(unreachable, new ScriptedEngineLoader(new ScriptedEngine()), waitFor: ServiceState.Loading))
        {
            Assert.False(await offline.Service.PublishAsync("telemetry", "{}"u8.ToArray(), retain: false, CancellationToken.None));
        }

        await using var service = await ServiceHarness.StartAsync(_broker, new ScriptedEngine());
        await using var observer = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Telemetry);
        Assert.Equal(service.Topics.Base, service.Service.BaseTopic);

        Assert.True(await service.Service.PublishAsync("telemetry", """{"queue_length":0}"""u8.ToArray(), retain: false, CancellationToken.None));
        Assert.Equal(0, (await observer.NextAsync()).Json.GetProperty("queue_length").GetInt32());
    }

    [Fact]
    public async Task A_model_that_fails_to_load_leaves_the_service_up_in_error_answering_model_unavailable()
    {
        var loader = new ScriptedEngineLoader { Failure = new InvalidDataException("genai_config.json: model.vocab_size is missing") };
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", loader, waitFor: ServiceState.Error);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);

        await client.PublishAsync(service.Topics.Request, """{"id":"x","prompt":"a"}""", ReplyTopic);
        var error = await client.NextAsync();

        Assert.Equal(ErrorCodes.ModelUnavailable, error.ErrorCode);
        Assert.Contains("model.vocab_size is missing", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("model.vocab_size is missing", service.Board.Current.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reloading_the_model_fails_queued_requests_and_serves_the_new_model()
    {
        var first = new ScriptedEngine { Stepped = true };
        var second = new ScriptedEngine { ModelName = "second-model", Pieces = ["new"] };
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", new ScriptedEngineLoader(first, second));
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        await using var answers = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Answer);
        await client.PublishAsync(service.Topics.Request, """{"id":"old","prompt":"a","stream":false}""", ReplyTopic);
        await first.NextStartedAsync();
        Assert.True(service.Service.SubmitPrompt("waiting", "panel"));

        await service.Service.ReloadModelAsync(CancellationToken.None).Within();
        var old = await client.NextAsync();
        var waiting = await answers.NextAsync();
        await client.PublishAsync(service.Topics.Request, """{"id":"new","prompt":"a","stream":false}""", ReplyTopic);
        var fresh = await client.NextAsync();

        Assert.Equal(("old", ErrorCodes.Cancelled, "the model is being reloaded"), (old.Id, old.ErrorCode, old.ErrorMessage));
        Assert.Equal((ErrorCodes.ModelUnavailable, "the model is being reloaded"), (waiting.ErrorCode, waiting.ErrorMessage));
        Assert.True(first.IsDisposed);
        Assert.Equal(("new", "new"), (fresh.Id, fresh.Text));
        Assert.Equal("second-model", service.Board.Current.Model);
    }

    [Fact]
    public async Task Every_generated_token_marks_the_worker_alive_and_an_idle_worker_is_healthy()
    {
        var engine = new ScriptedEngine { Stepped = true };
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        Assert.True(service.Liveness.IsIdle);

        await client.PublishAsync(service.Topics.Request, """{"id":"l","prompt":"a"}""", ReplyTopic);
        await engine.NextStartedAsync();
        engine.Step();
        await client.NextAsync();

        Assert.False(service.Liveness.IsIdle);
        engine.Step(3);
        await client.NextFinalAsync();
        await service.WaitForStateAsync(ServiceState.Ready).Within();
        Assert.True(service.Liveness.IsHealthy(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Messages_on_conversation_requests_reach_the_engine_in_order()
    {
        var engine = new ScriptedEngine();
        await using var service = await ServiceHarness.StartAsync(_broker, engine);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);

        await client.PublishAsync(
            service.Topics.Request,
            Encoding.UTF8.GetBytes("""{"id":"c","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}],"stream":false}"""),
            ReplyTopic);
        await client.NextAsync();
        var request = await engine.NextStartedAsync();

        Assert.Equal(["system: Be brief.", "user: Hi", "assistant: Hello", "user: Bye"], request.Messages.Select(m => $"{m.Role}: {m.Content}"));
    }

    [Fact]
    public async Task Retained_requests_are_stale_and_ignored_so_a_reconnect_never_asks_them_again()
    {
        var engine = new ScriptedEngine();
        var deviceId = $"r{Guid.NewGuid():N}"[..13];
        var topics = new ApplianceTopics(deviceId);
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        await client.Client.PublishAsync(new Appliance.Mqtt.MqttMessage
        {
            Topic = topics.Ask,
            Payload = "asked long ago"u8.ToArray(),
            Qos = MqttQualityOfService.AtLeastOnce,
            Retain = true,
        }).Within();
        await using var answers = await ReplyObserver.StartAsync(_broker.Port, topics.Answer);
        await using var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", new ScriptedEngineLoader(engine), deviceId: deviceId);

        await client.PublishAsync(service.Topics.Ask, "asked now");
        var answer = await answers.NextAsync();

        // Had the retained prompt been taken (answered or refused), it would have had the first assigned id and answer.
        Assert.EndsWith("-1", answer.Id, StringComparison.Ordinal);
        Assert.Equal("Hello, world!", answer.Text);
        Assert.Equal("asked now", Assert.Single((await engine.NextStartedAsync()).Messages).Content);
        Assert.Equal(1, engine.Calls);
        await client.Client.PublishAsync(new Appliance.Mqtt.MqttMessage { Topic = topics.Ask, Retain = true }).Within();
    }

    [Fact]
    public async Task A_request_published_with_retain_while_the_service_runs_is_answered_once_and_its_stored_copy_is_ignored_later()
    {
        var engine = new ScriptedEngine();
        var deviceId = $"r{Guid.NewGuid():N}"[..13];
        await using var client = await ReplyObserver.StartAsync(_broker.Port, ReplyTopic);
        var first = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", new ScriptedEngineLoader(engine), deviceId: deviceId);
        await client.Client.PublishAsync(new Appliance.Mqtt.MqttMessage
        {
            Topic = first.Topics.Request,
            Payload = Encoding.UTF8.GetBytes($$"""{"id":"kept","prompt":"a","stream":false,"reply_to":"{{ReplyTopic}}"}"""),
            Qos = MqttQualityOfService.AtLeastOnce,
            Retain = true,
        }).Within();
        var live = await client.NextAsync();
        await first.DisposeAsync();

        // A restarted service gets the broker's stored copy (retain flag set) when it subscribes, and ignores it.
        await using var second = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", new ScriptedEngineLoader(engine), deviceId: deviceId);
        await client.PublishAsync(second.Topics.Request, $$"""{"id":"sentinel","prompt":"a","stream":false,"reply_to":"{{ReplyTopic}}"}""");
        var next = await client.NextAsync();

        Assert.Equal(("kept", "Hello, world!"), (live.Id, live.Text));
        Assert.Equal("sentinel", next.Id);
        Assert.Equal(2, engine.Calls);
        await client.Client.PublishAsync(new Appliance.Mqtt.MqttMessage { Topic = second.Topics.Request, Retain = true }).Within();
    }

    [Fact]
    public async Task Stopping_while_the_model_loads_does_not_wait_for_the_load_and_disposes_what_it_yields()
    {
        var load = new TaskCompletionSource<IGenerationEngine>(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = await ServiceHarness.StartAsync($"mqtt://127.0.0.1:{_broker.Port}", new PendingLoader(load.Task), waitFor: null);
        await using var status = await ReplyObserver.StartAsync(_broker.Port, service.Topics.Status);
        await status.NextStatusAsync("loading");

        await service.StopAsync();
        var engine = new ScriptedEngine();
        load.SetResult(engine);

        await status.NextStatusAsync("offline");
        await service.DisposeAsync();
        await engine.Disposal.Within();
    }

    private sealed class PendingLoader(Task<IGenerationEngine> load) : IGenerationEngineLoader
    {
        public Task<IGenerationEngine> LoadAsync(EngineOptions options, CancellationToken cancellationToken) => load;
    }
}
