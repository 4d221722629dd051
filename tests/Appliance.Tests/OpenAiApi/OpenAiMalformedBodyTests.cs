using Appliance.Tests.Http;
using Appliance.Tests.MqttService;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Appliance.Tests.OpenAiApi;

/// <summary>
/// Bodies no client should send, each answered with its documented status and OpenAI's error shape, never a 500;
/// a few well-formed controls (unknown fields, ":latest", a negative seed) show the table does not refuse everything.
/// </summary>
public sealed class OpenAiMalformedBodyTests(ITestOutputHelper output)
{
    private const int BodyLimit = 65536;
    private const string Chat = "/v1/chat/completions";
    private const string Completions = "/v1/completions";
    private const string Hi = """[{"role":"user","content":"Hi"}]""";
    private const string Tool = """{"type":"function","function":{"name":"a","parameters":{"type":"object","properties":{}}}}""";

    /// <summary>(what, path, body bytes, Content-Type or null for none, status, the param it names or null).</summary>
    private static IEnumerable<(string What, string Path, byte[] Body, string? ContentType, int Status, string? Param)> Cases()
    {
        static (string, string, byte[], string?, int, string?) Field(string field, string value, int status, string? param = "same") =>
            ($"{field}={Shorten(value)}", Chat, Encoding.UTF8.GetBytes($$"""{"model":"scripted-model","messages":{{Hi}},"{{field}}":{{value}}}"""), "application/json", status, param == "same" ? field : param);
        static (string, string, byte[], string?, int, string?) Messages(string messages, int status, string? param) =>
            ($"messages={Shorten(messages)}", Chat, Encoding.UTF8.GetBytes($$"""{"model":"scripted-model","messages":{{messages}}}"""), "application/json", status, param);
        static (string, string, byte[], string?, int, string?) Raw(string what, string body, int status, string? contentType = "application/json") =>
            (what, Chat, Encoding.UTF8.GetBytes(body), contentType, status, null);
        static (string, string, byte[], string?, int, string?) Prompt(string what, string body, int status, string? param) =>
            (what, Completions, Encoding.UTF8.GetBytes(body), "application/json", status, param);

        const string TwoToThe64 = "18446744073709551616";
        const string Huge = "1e400";

        // The body as a whole.
        yield return Raw("empty", "", 400);
        yield return Raw("blank", " \r\n\t ", 400);
        yield return Raw("null", "null", 400);
        yield return Raw("array", "[]", 400);
        yield return Raw("number", "1", 400);
        yield return Raw("string", "\"hi\"", 400);
        yield return Raw("true", "true", 400);
        yield return Raw("not json", "hello", 400);
        yield return Raw("unclosed", "{\"model\":", 400);
        yield return Raw("unclosed object", "{", 400);
        yield return Raw("trailing value", "{\"model\":\"scripted-model\",\"messages\":" + Hi + "} {}", 400);
        yield return Raw("trailing comma", "{\"model\":\"scripted-model\",\"messages\":" + Hi + ",}", 400);
        yield return Raw("comment", "/* hi */{\"model\":\"scripted-model\",\"messages\":" + Hi + "}", 400);
        yield return Raw("single quotes", "{'model':'scripted-model'}", 400);
        yield return Raw("NaN", "{\"model\":\"scripted-model\",\"messages\":" + Hi + ",\"temperature\":NaN}", 400);
        yield return Raw("empty object", "{}", 400);
        yield return Raw("no messages", "{\"model\":\"scripted-model\"}", 400);
        yield return Raw("lone surrogate escape", "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\"\\ud800\"}]}", 400);
        yield return ("invalid UTF-8 in content", Chat, [.. "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xC3, 0x28, .. "\"}]}"u8], "application/json", 400, null);
        yield return ("invalid UTF-8 in an unknown field", Chat, [.. "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"x\":\""u8, 0xFF, 0xFE, .. "\"}"u8], "application/json", 400, null);
        yield return ("invalid UTF-8 in a tool schema", Chat, [.. "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\",\"description\":\""u8, 0xED, 0xA0, 0x80, .. "\"}}]}"u8], "application/json", 400, null);
        yield return ("UTF-16 body", Chat, Encoding.Unicode.GetBytes("{\"model\":\"scripted-model\",\"messages\":" + Hi + "}"), "application/json", 400, null);
        yield return Raw("10,000-deep arrays", new string('[', 10_000) + new string(']', 10_000), 400);
        yield return Raw("10,000-deep in an unknown field", "{\"model\":\"scripted-model\",\"messages\":" + Hi + ",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}", 400);
        yield return Raw("10,000-deep objects in content", "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":" + string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000) + "}]}", 400);
        yield return Raw("65-deep tool schema", "{\"model\":\"scripted-model\",\"messages\":" + Hi + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\",\"parameters\":" + string.Concat(Enumerable.Repeat("{\"a\":", 65)) + "1" + new string('}', 65) + "}}]}", 400);

        // Content-Type.
        var valid = "{\"model\":\"scripted-model\",\"messages\":" + Hi + "}";
        yield return Raw("text/plain", valid, 415, "text/plain");
        yield return Raw("form", valid, 415, "application/x-www-form-urlencoded");
        yield return Raw("xml", valid, 415, "application/xml");
        yield return Raw("latin1 charset", valid, 415, "application/json; charset=iso-8859-1");
        yield return Raw("garbage content type", valid, 415, "not a/type;;=");
        yield return Raw("control: no content type", valid, 200, null);
        yield return Raw("control: utf-8 charset", valid, 200, "application/json; charset=utf-8");

        // Size.
        yield return Raw("over the body limit", "{\"model\":\"scripted-model\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', BodyLimit) + "\"}]}", 413);
        yield return Messages("[" + string.Join(',', Enumerable.Repeat("""{"role":"user","content":"a"}""", 257)) + "]", 413, "messages");

        // model.
        yield return Field("model", "1", 400);
        yield return Field("model", "true", 400);
        yield return Field("model", "{}", 400);
        yield return Field("model", "[]", 400);
        yield return Field("model", "\"\"", 400);
        yield return ("model=null", Chat, Encoding.UTF8.GetBytes("{\"model\":null,\"messages\":" + Hi + "}"), "application/json", 400, "model");
        yield return ("model=gpt-4o", Chat, Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"messages\":" + Hi + "}"), "application/json", 404, "model");
        yield return ("model=SCRIPTED-MODEL", Chat, Encoding.UTF8.GetBytes("{\"model\":\"SCRIPTED-MODEL\",\"messages\":" + Hi + "}"), "application/json", 404, "model");
        yield return ("control: model:latest", Chat, Encoding.UTF8.GetBytes("{\"model\":\"scripted-model:latest\",\"messages\":" + Hi + "}"), "application/json", 200, null);

        // messages.
        yield return Messages("\"Hi\"", 400, "messages");
        yield return Messages("1", 400, "messages");
        yield return Messages("{}", 400, "messages");
        yield return Messages("[]", 400, "messages");
        yield return Messages("null", 400, "messages");
        yield return Messages("[1]", 400, "messages[0]");
        yield return Messages("[\"Hi\"]", 400, "messages[0]");
        yield return Messages("[null]", 400, "messages[0]");
        yield return Messages("[{}]", 400, "messages[0].role");
        yield return Messages("""[{"role":"wizard","content":"x"}]""", 400, "messages[0].role");
        yield return Messages("""[{"role":"User","content":"x"}]""", 400, "messages[0].role");
        yield return Messages("""[{"role":1,"content":"x"}]""", 400, "messages[0].role");
        yield return Messages("""[{"role":"user"}]""", 400, "messages[0].content");
        yield return Messages("""[{"role":"user","content":null}]""", 400, "messages[0].content");
        yield return Messages("""[{"role":"user","content":1}]""", 400, "messages[0].content");
        yield return Messages("""[{"role":"user","content":true}]""", 400, "messages[0].content");
        yield return Messages("""[{"role":"user","content":{}}]""", 400, "messages[0].content");
        yield return Messages("""[{"role":"user","content":[1]}]""", 400, "messages[0].content[0]");
        yield return Messages("""[{"role":"user","content":[{"type":"text"}]}]""", 400, "messages[0].content[0]");
        yield return Messages("""[{"role":"user","content":[{"type":"text","text":5}]}]""", 400, "messages[0].content[0]");
        yield return Messages("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://x/y.png"}}]}]""", 400, "messages[0].content[0]");
        yield return Messages("""[{"role":"user","content":"x","tool_call_id":"a"}]""", 400, "messages[0]");
        yield return Messages("""[{"role":"user","content":"x","tool_call_id":5}]""", 400, "messages[0].tool_call_id");
        yield return Messages("""[{"role":"user","content":"x","tool_calls":[{"type":"function","function":{"name":"a"}}]}]""", 400, "messages[0]");
        yield return Messages("""[{"role":"assistant","tool_calls":"x"}]""", 400, "messages[0]");
        yield return Messages("""[{"role":"assistant","tool_calls":[]}]""", 400, "messages[0]");
        yield return Messages("""[{"role":"assistant","tool_calls":[1]}]""", 400, "messages[0]");
        yield return Messages("""[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"a","arguments":"not json"}}]}]""", 400, "messages[0]");
        yield return Messages("""[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"a","arguments":"[1]"}}]}]""", 400, "messages[0]");
        yield return Messages("""[{"role":"assistant","tool_calls":[{"type":"retrieval","function":{"name":"a"}}]}]""", 400, "messages[0]");

        // Numbers and flags.
        foreach (var field in new[] { "max_tokens", "max_completion_tokens" })
        {
            yield return Field(field, "\"10\"", 400);
            yield return Field(field, "1.5", 400);
            yield return Field(field, "0", 400);
            yield return Field(field, "-1", 400);
            yield return Field(field, Huge, 400);
            yield return Field(field, TwoToThe64, 400);
            yield return Field(field, "2147483648", 400);
            yield return Field(field, "true", 400);
            yield return Field(field, "[]", 400);
            yield return Field(field, "100000", 413);
        }

        foreach (var (field, outOfRange) in new[] { ("temperature", new[] { "-0.1", "2.01", "100" }), ("top_p", new[] { "0", "-1", "1.01" }) })
        {
            yield return Field(field, "\"hot\"", 400);
            yield return Field(field, "true", 400);
            yield return Field(field, "[]", 400);
            yield return Field(field, "{}", 400);
            yield return Field(field, Huge, 400);
            yield return Field(field, "-" + Huge, 400);
            foreach (var value in outOfRange)
            {
                yield return Field(field, value, 400);
            }
        }

        yield return Field("seed", "\"1\"", 400);
        yield return Field("seed", "1.5", 400);
        yield return Field("seed", TwoToThe64, 400);
        yield return Field("seed", "9223372036854775808", 400);
        yield return Field("seed", Huge, 400);
        yield return Field("seed", "-1", 200, null);
        yield return Field("stream", "\"yes\"", 400);
        yield return Field("stream", "1", 400);
        yield return Field("stream", "{}", 400);
        yield return Field("stream_options", "\"x\"", 400);
        yield return Field("stream_options", """{"include_usage":"yes"}""", 400, "stream_options.include_usage");
        yield return Field("n", "2", 400);
        yield return Field("n", "0", 400);
        yield return Field("n", "\"1\"", 400);
        yield return Field("n", "1.5", 400);
        yield return Field("n", TwoToThe64, 400);
        yield return Field("n", "1", 200, null);

        // stop.
        yield return Field("stop", "1", 400);
        yield return Field("stop", "\"\"", 400);
        yield return Field("stop", "[1]", 400);
        yield return Field("stop", "[\"\"]", 400);
        yield return Field("stop", "{}", 400);
        yield return Field("stop", "[" + string.Join(',', Enumerable.Repeat("\"x\"", 9)) + "]", 400);
        yield return Field("stop", "\"" + new string('x', 129) + "\"", 400);
        yield return Field("stop", "[\"a\",\"b\"]", 200, null);

        // tools and tool_choice.
        yield return Field("tools", "\"x\"", 400);
        yield return Field("tools", "{}", 400);
        yield return Field("tools", "[]", 400);
        yield return Field("tools", "[1]", 400);
        yield return Field("tools", """[{"type":"function"}]""", 400);
        yield return Field("tools", """[{"type":"retrieval","function":{"name":"a"}}]""", 400);
        yield return Field("tools", """[{"type":"function","function":{"name":""}}]""", 400);
        yield return Field("tools", """[{"type":"function","function":{"name":"a","parameters":"x"}}]""", 400);
        yield return Field("tools", """[{"type":"function","function":{"name":"a","description":7}}]""", 400);
        yield return Field("tools", "[" + Tool + "," + Tool + "]", 400);
        yield return Field("tools", "[" + string.Join(',', Enumerable.Range(0, 65).Select(i => Tool.Replace("\"a\"", $"\"t{i}\"", StringComparison.Ordinal))) + "]", 400);
        yield return Field("tool_choice", "\"required\"", 400);
        yield return Field("tool_choice", "1", 400);
        yield return ("tool_choice names no tool", Chat, Encoding.UTF8.GetBytes("{\"model\":\"scripted-model\",\"messages\":" + Hi + ",\"tools\":[" + Tool + "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"b\"}}}"), "application/json", 400, "tool_choice");
        yield return ("tool_choice=sometimes", Chat, Encoding.UTF8.GetBytes("{\"model\":\"scripted-model\",\"messages\":" + Hi + ",\"tools\":[" + Tool + "],\"tool_choice\":\"sometimes\"}"), "application/json", 400, "tool_choice");

        // response_format.
        yield return Field("response_format", "\"json\"", 400);
        yield return Field("response_format", "1", 400);
        yield return Field("response_format", """{"type":"xml"}""", 400);
        yield return Field("response_format", """{"type":"json_schema"}""", 400, "response_format.json_schema");
        yield return Field("response_format", """{"type":"json_schema","json_schema":{"name":"a","schema":"x"}}""", 400, "response_format.json_schema");
        yield return Field("response_format", """{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"string","pattern":"^a+$"}}}""", 400, "response_format.json_schema.schema");
        yield return ("response_format with tools", Chat, Encoding.UTF8.GetBytes("{\"model\":\"scripted-model\",\"messages\":" + Hi + ",\"tools\":[" + Tool + "],\"response_format\":{\"type\":\"json_object\"}}"), "application/json", 400, "tools");

        // Unknown fields are accepted, as OpenAI's clients send many.
        yield return Field("frequency_penalty", "0", 200, null);
        yield return Field("logit_bias", "{\"1\":2}", 200, null);
        yield return Field("user", "\"ann\"", 200, null);
        yield return Field("parallel_tool_calls", "true", 200, null);

        // /v1/completions.
        yield return Prompt("prompt missing", "{\"model\":\"scripted-model\"}", 400, "prompt");
        yield return Prompt("prompt=1", "{\"model\":\"scripted-model\",\"prompt\":1}", 400, "prompt");
        yield return Prompt("prompt=\"\"", "{\"model\":\"scripted-model\",\"prompt\":\" \"}", 400, "prompt");
        yield return Prompt("prompt=[]", "{\"model\":\"scripted-model\",\"prompt\":[]}", 400, "prompt");
        yield return Prompt("prompt=two", "{\"model\":\"scripted-model\",\"prompt\":[\"a\",\"b\"]}", 400, "prompt");
        yield return Prompt("prompt=tokens", "{\"model\":\"scripted-model\",\"prompt\":[1,2,3]}", 400, "prompt");
        yield return Prompt("completion n=2", "{\"model\":\"scripted-model\",\"prompt\":\"a\",\"n\":2}", 400, "n");
        yield return Prompt("completion max_tokens=x", "{\"model\":\"scripted-model\",\"prompt\":\"a\",\"max_tokens\":\"x\"}", 400, "max_tokens");
        yield return Prompt("completion unknown model", "{\"model\":\"davinci\",\"prompt\":\"a\"}", 404, "model");
        yield return Prompt("control: completion", "{\"model\":\"scripted-model\",\"prompt\":\"a\"}", 200, null);
    }

    [Fact]
    public async Task Every_malformed_body_gets_its_documented_status_and_the_openai_error_shape_never_a_500()
    {
        await using var server = await OpenAiTestServer.StartAsync(
            new ScriptedEngineLoader(new ScriptedEngine()),
            limits => (limits.MaxPayloadBytes, limits.RatePerReplyTopic, limits.BurstPerReplyTopic) = (BodyLimit, 1_000_000, 1_000_000));
        var cases = Cases().ToList();
        var wrong = new List<string>();

        foreach (var (what, path, body, contentType, status, param) in cases)
        {
            using var content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            using var response = await server.Client.PostAsync(new Uri(path, UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            var problem = Check(response, text, status, param);
            if (problem is not null)
            {
                wrong.Add($"{what}: {problem} — {text[..Math.Min(text.Length, 300)]}");
            }
        }

        wrong.ForEach(output.WriteLine);
        output.WriteLine($"{cases.Count} bodies, {cases.Count - wrong.Count} answered as documented");
        Assert.True(cases.Count >= 100, $"only {cases.Count} cases");
        Assert.Empty(wrong);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_as_it_arrives()
    {
        await using var server = await OpenAiTestServer.StartAsync(new ScriptedEngineLoader(new ScriptedEngine()), limits => limits.MaxPayloadBytes = BodyLimit);
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"model\":\"scripted-model\",\"x\":\"" + new string('a', BodyLimit * 4) + "\"}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative)) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("too_large", (await OpenAiHttpTests.ErrorOf(response)).GetProperty("code").GetString());
    }

    /// <summary>Null when the answer is as documented, else what is wrong with it.</summary>
    private static string? Check(HttpResponseMessage response, string text, int status, string? param)
    {
        if ((int)response.StatusCode != status)
        {
            return $"status {(int)response.StatusCode}, expected {status}";
        }

        if (status == 200)
        {
            return null;
        }

        try
        {
            var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            if (response.Content.Headers.ContentType?.MediaType != "application/json"
                || error.GetProperty("message").ValueKind != JsonValueKind.String
                || error.GetProperty("type").GetString() != "invalid_request_error"
                || error.GetProperty("code").ValueKind != JsonValueKind.String
                || !error.TryGetProperty("param", out var named))
            {
                return "not OpenAI's error shape";
            }

            var expected = param is null ? null : param;
            var actual = named.ValueKind == JsonValueKind.String ? named.GetString() : null;
            return expected is null || actual == expected ? null : $"param '{actual}', expected '{expected}'";
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"not OpenAI's error shape ({error.Message})";
        }
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : string.Concat(text.AsSpan(0, 24), "…");
}
