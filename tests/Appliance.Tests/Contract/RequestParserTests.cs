using Appliance.Contract;
using Appliance.Inference.Generation;
using System.Text;

namespace Appliance.Tests.Contract;

public sealed class RequestParserTests
{
    private readonly RequestParser _parser = new(new RequestLimits { MaxPayloadBytes = 4096, DefaultMaxTokens = 100, MaxTokensCap = 200 });

    [Fact]
    public void A_full_request_is_read_field_by_field()
    {
        var result = Parse("""
            {"id":"a-1","prompt":"Hello?","max_tokens":50,"temperature":0.2,"top_p":0.95,"top_k":20,"min_p":0.05,
             "repetition_penalty":1.15,"seed":18446744073709551615,"stop":["\n\n","END"],"stream":false,"reply_to":"clients/7/replies"}
            """);

        var request = Assert.IsType<ApplianceRequest>(result.Request);
        Assert.Null(result.Error);
        Assert.Equal("a-1", request.Id);
        var engine = request.Engine;
        Assert.Equal(("user", "Hello?"), (Assert.Single(engine.Messages).Role, engine.Messages[0].Content));
        Assert.Equal((50, 100), (engine.MaxTokens, engine.DefaultMaxTokens));
        var sampling = engine.Sampling;
        Assert.Equal((0.2, 0.95, 20, 0.05, 1.15, ulong.MaxValue), (sampling.Temperature, sampling.TopP, sampling.TopK, sampling.MinP, sampling.RepetitionPenalty, sampling.Seed));
        Assert.Equal(["\n\n", "END"], engine.Stop);
        Assert.False(request.Stream);
        Assert.Equal("clients/7/replies", request.ReplyTo);
    }

    [Fact]
    public void A_minimal_request_takes_the_defaults_and_null_means_absent()
    {
        var request = Parse("""{"prompt":"hi","temperature":null,"min_p":null,"repetition_penalty":null,"id":null,"stop":null}""").Request!;

        Assert.Null(request.Id);
        Assert.Null(request.Engine.MaxTokens);
        Assert.Equal(100, request.Engine.DefaultMaxTokens);
        Assert.Equal(SamplingRequest.ModelDefaults, request.Engine.Sampling);
        Assert.Empty(request.Engine.Stop);
        Assert.True(request.Stream);
        Assert.Null(request.ReplyTo);
        Assert.False(request.Engine.Sampling.SetsSampling);
    }

    [Fact]
    public void Numeric_ids_and_a_single_stop_string_are_accepted()
    {
        var request = Parse("""{"id":42,"prompt":"hi","stop":"###"}""").Request!;

        Assert.Equal("42", request.Id);
        Assert.Equal(["###"], request.Engine.Stop);
    }

    [Fact]
    public void Messages_become_the_conversation_in_order()
    {
        var request = Parse("""{"messages":[{"role":"system","content":"Be brief."},{"content":"Hi","role":"user"}]}""").Request!;

        Assert.Equal(["system:Be brief.", "user:Hi"], request.Engine.Messages.Select(m => $"{m.Role}:{m.Content}"));
    }

    [Theory]
    [InlineData("""{"prompt":"hi","max_tokens":0}""", "field 'max_tokens' must be an integer ≥ 1, got 0")]
    [InlineData("""{"prompt":"hi","max_tokens":1.5}""", "field 'max_tokens' must be an integer ≥ 1, got 1.5")]
    [InlineData("""{"prompt":"hi","max_tokens":"9"}""", "field 'max_tokens' must be an integer ≥ 1, got a string")]
    [InlineData("""{"prompt":"hi","temperature":3}""", "field 'temperature' must be a number from 0 to 2 (0 = greedy), got 3")]
    [InlineData("""{"prompt":"hi","top_p":0}""", "field 'top_p' must be a number greater than 0 and at most 1, got 0")]
    [InlineData("""{"prompt":"hi","top_k":-1}""", "field 'top_k' must be an integer ≥ 0 (0 = no limit), got -1")]
    [InlineData("""{"prompt":"hi","min_p":1.5}""", "field 'min_p' must be a number from 0 to 1 (0 = no limit), got 1.5")]
    [InlineData("""{"prompt":"hi","min_p":"0.1"}""", "field 'min_p' must be a number from 0 to 1 (0 = no limit), got a string")]
    [InlineData("""{"prompt":"hi","repetition_penalty":0}""", "field 'repetition_penalty' must be a number greater than 0 (1 = off), got 0")]
    [InlineData("""{"prompt":"hi","repetition_penalty":-1.2}""", "field 'repetition_penalty' must be a number greater than 0 (1 = off), got -1.2")]
    [InlineData("""{"prompt":"hi","seed":-1}""", "field 'seed' must be an integer from 0 to 18446744073709551615, got -1")]
    [InlineData("""{"prompt":"hi","stream":1}""", "field 'stream' must be true or false, got 1")]
    [InlineData("""{"prompt":"hi","stop":""}""", "field 'stop' must be a non-empty string or an array of up to 8 of them")]
    [InlineData("""{"prompt":"hi","stop":["a","b","c","d","e","f","g","h","i"]}""", "field 'stop' must be a non-empty string or an array of up to 8 of them")]
    [InlineData("""{"prompt":"hi","reply_to":"a/+/b"}""", "field 'reply_to' topic name 'a/+/b' contains a wildcard")]
    [InlineData("""{"prompt":"hi","reply_to":"$SYS/x"}""", "field 'reply_to' must not start with '$'")]
    [InlineData("""{"prompt":"hi","id":"a/b"}""", "field 'id' must be 1 to 128 characters without '/', '+', '#' or control characters, got 'a/b'")]
    [InlineData("""{"prompt":"hi","id":true}""", "field 'id' must be a string or an integer, got true")]
    [InlineData("""{"prompt":"hi","maxTokens":5}""", "unknown field 'maxTokens' (a request may have id, prompt, messages, max_tokens, temperature, top_p, top_k, min_p, repetition_penalty, seed")]
    [InlineData("""{"prompt":"hi","prompt":"again"}""", "field 'prompt' appears more than once")]
    [InlineData("""{"prompt":7}""", "field 'prompt' must be a non-empty string, got 7")]
    [InlineData("""{"prompt":"  "}""", "field 'prompt' must be a non-empty string")]
    [InlineData("""{"id":"x"}""", "the request needs 'prompt' (text) or 'messages' (a conversation)")]
    [InlineData("""{"prompt":"a","messages":[{"role":"user","content":"b"}]}""", "give either 'prompt' or 'messages', not both")]
    [InlineData("""{"messages":[]}""", "field 'messages' must hold at least one message")]
    [InlineData("""{"messages":{"role":"user"}}""", "field 'messages' must be an array of {\"role\", \"content\"} objects, got an object")]
    [InlineData("""{"messages":[{"role":"user","content":"a"},{"role":"function","content":"b"}]}""", "field 'messages[1].role' must be \"system\", \"user\", \"assistant\" or \"tool\", got 'function'")]
    [InlineData("""{"messages":[{"role":"user"}]}""", "field 'messages[0].content' is missing")]
    [InlineData("""{"messages":[{"role":"user","content":"a","name":"n"}]}""", "unknown field 'messages[0].name' (a message has role and content; an assistant's tool_calls, a tool's tool_call_id)")]
    [InlineData("""{"messages":["hi"]}""", "messages[0] must be an object {\"role\", \"content\"}, got a string")]
    [InlineData("""["prompt"]""", "the request must be a JSON object, got an array")]
    [InlineData("", "the request is empty; send a JSON object")]
    [InlineData("""{"prompt":"hi"} {}""", "the request is not valid JSON:")]
    [InlineData("""{"prompt":"hi",}""", "the request is not valid JSON:")]
    [InlineData("""{"prompt":"hi" """, "the request is not valid JSON:")]
    public void Bad_requests_are_refused_with_a_message_naming_the_field(string payload, string message)
    {
        var result = Parse(payload);

        Assert.Null(result.Request);
        Assert.Equal(ErrorCodes.BadRequest, result.Error!.Code);
        Assert.Contains(message, result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_are_too_large_not_bad_request()
    {
        var cap = Parse("""{"prompt":"hi","max_tokens":201}""");
        var payload = _parser.Parse(Encoding.UTF8.GetBytes($$"""{"prompt":"{{new string('a', 5000)}}"}"""));
        var conversation = new RequestParser(new RequestLimits()).Parse(Encoding.UTF8.GetBytes($$"""{"messages":[{{string.Join(',', Enumerable.Repeat("""{"role":"user","content":"a"}""", 257))}}]}"""));

        Assert.Equal((ErrorCodes.TooLarge, "field 'max_tokens' is 201; the limit is 200 (Requests:MaxTokensCap)"), (cap.Error!.Code, cap.Error.Message));
        Assert.Equal((ErrorCodes.TooLarge, "the request is 5013 bytes; the limit is 4096 (Requests:MaxPayloadBytes)"), (payload.Error!.Code, payload.Error.Message));
        Assert.Equal((ErrorCodes.TooLarge, "field 'messages' has 257 messages; the limit is 256"), (conversation.Error!.Code, conversation.Error.Message));
    }

    [Fact]
    public void Invalid_utf8_and_deep_nesting_are_bad_requests_not_crashes()
    {
        byte[] badUtf8 = [.. """{"prompt":"a"""u8, 0xC3, 0x28, .. "\"}"u8];
        var deep = Parse($$"""{"prompt":"a","stop":{{new string('[', 20)}}{{new string(']', 20)}}}""");

        Assert.Contains("not valid", _parser.Parse(badUtf8).Error!.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.BadRequest, deep.Error!.Code);
    }

    [Fact]
    public void The_id_and_reply_to_read_before_a_problem_are_kept_for_the_error_reply()
    {
        var result = Parse("""{"id":"keep","reply_to":"my/replies","prompt":"hi","max_tokens":-2}""");

        Assert.Equal(("keep", "my/replies"), (result.Id, result.ReplyTo));
        Assert.Null(result.Request);
    }

    [Fact]
    public void Every_generated_malformed_payload_is_refused_and_parsing_never_throws()
    {
        var payloads = MalformedRequests.Generate(seed: 4_242, count: 3000);
        var codes = new HashSet<string>();

        for (var i = 0; i < payloads.Count; i++)
        {
            var result = _parser.Parse(payloads[i]);
            Assert.True(result.Error is not null, $"payload {i} was accepted: {Encoding.UTF8.GetString(payloads[i])}");
            Assert.Null(result.Request);
            codes.Add(result.Error.Code);
        }

        Assert.Equal([ErrorCodes.BadRequest, ErrorCodes.TooLarge], codes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Random_byte_mutations_of_valid_requests_never_throw()
    {
        var random = new Random(31);
        var valid = Encoding.UTF8.GetBytes("""{"id":"m","messages":[{"role":"user","content":"Héllo"}],"max_tokens":5,"stop":["x"],"temperature":0.3}""");
        var accepted = 0;
        for (var i = 0; i < 5000; i++)
        {
            var mutated = valid.ToArray();
            for (var flips = 1 + random.Next(3); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var result = _parser.Parse(mutated);
            Assert.True((result.Request is null) != (result.Error is null));
            accepted += result.Request is null ? 0 : 1;
        }

        Assert.InRange(accepted, 1, 4999);
    }

    [Fact]
    public void Plain_prompts_are_trimmed_utf8_text_answered_without_streaming()
    {
        var ok = _parser.ParsePlainPrompt("  Wie spät ist es?\n"u8);
        var empty = _parser.ParsePlainPrompt(" \n"u8);
        var binary = _parser.ParsePlainPrompt([0xFF, 0xFE, 0x41]);
        var big = _parser.ParsePlainPrompt(new byte[4097]);

        Assert.Equal("Wie spät ist es?", Assert.Single(ok.Request!.Engine.Messages).Content);
        Assert.False(ok.Request.Stream);
        Assert.Null(ok.Request.Engine.MaxTokens);
        Assert.Equal(100, ok.Request.Engine.DefaultMaxTokens);
        Assert.Equal("the prompt is empty", empty.Error!.Message);
        Assert.Equal("the prompt is not valid UTF-8 text", binary.Error!.Message);
        Assert.Equal(ErrorCodes.TooLarge, big.Error!.Code);
    }

    [Theory]
    [InlineData("""{"id":"abc"}""", true, "abc")]
    [InlineData("""{"id":12}""", true, "12")]
    [InlineData("""{}""", false, "a cancel message needs \"id\"")]
    [InlineData("""{"id":"a","x":1}""", false, "unknown field 'x'")]
    [InlineData("""abc""", false, "the cancel message is not valid JSON")]
    [InlineData("""[1]""", false, "a cancel message must be a JSON object")]
    [InlineData("""{"id":"a/b"}""", false, "field 'id' must be 1 to 128 characters")]
    public void Cancel_messages_name_the_request_by_id(string payload, bool valid, string expected)
    {
        var parsed = _parser.TryParseCancel(Encoding.UTF8.GetBytes(payload), out var id, out var problem);

        Assert.Equal(valid, parsed);
        Assert.Contains(expected, valid ? id : problem, StringComparison.Ordinal);
    }

    private RequestParseResult Parse(string json) => _parser.Parse(Encoding.UTF8.GetBytes(json));
}
