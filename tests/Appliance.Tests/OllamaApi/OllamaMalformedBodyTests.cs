using Appliance.Tests.Http;
using Appliance.Tests.MqttService;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Appliance.Tests.OllamaApi;

/// <summary>
/// Bodies no Ollama client should send, each answered with its documented status and Ollama's {"error":"…"}, never a
/// 500; well-formed controls (unknown fields, keep_alive forms, nulls) show the table does not refuse everything.
/// </summary>
public sealed class OllamaMalformedBodyTests(ITestOutputHelper output)
{
    private const int BodyLimit = 65536;
    private const string Hi = """[{"role":"user","content":"Hi"}]""";

    private static IEnumerable<(string What, string Path, byte[] Body, int Status)> Cases()
    {
        static (string, string, byte[], int) Chat(string what, string body, int status) => (what, "/api/chat", Encoding.UTF8.GetBytes(body), status);
        static (string, string, byte[], int) ChatField(string field, string value, int status) =>
            Chat($"chat {field}={Shorten(value)}", $$"""{"model":"scripted-model","stream":false,"messages":{{Hi}},"{{field}}":{{value}}}""", status);
        static (string, string, byte[], int) Option(string option, string value, int status) =>
            Chat($"options.{option}={Shorten(value)}", $$$"""{"model":"scripted-model","stream":false,"messages":{{{Hi}}},"options":{"{{{option}}}":{{{value}}}}}""", status);
        static (string, string, byte[], int) Generate(string field, string value, int status) =>
            ($"generate {field}={Shorten(value)}", "/api/generate", Encoding.UTF8.GetBytes($$"""{"model":"scripted-model","stream":false,"prompt":"Hi","{{field}}":{{value}}}"""), status);
        static (string, string, byte[], int) Message(string message, int status) =>
            Chat($"message {Shorten(message)}", $$"""{"model":"scripted-model","stream":false,"messages":[{{message}}]}""", status);

        const string Huge = "1e400";
        const string TwoToThe64 = "18446744073709551616";

        foreach (var path in new[] { "/api/chat", "/api/generate", "/api/show" })
        {
            yield return ($"{path} empty", path, [], 400);
            yield return ($"{path} null", path, "null"u8.ToArray(), 400);
            yield return ($"{path} array", path, "[]"u8.ToArray(), 400);
            yield return ($"{path} not json", path, "model=x"u8.ToArray(), 400);
            yield return ($"{path} unclosed", path, "{\"model\":"u8.ToArray(), 400);
            yield return ($"{path} invalid UTF-8", path, [.. "{\"model\":\""u8, 0xC3, 0x28, .. "\"}"u8], 400);
            yield return ($"{path} over the limit", path, Encoding.UTF8.GetBytes("{\"model\":\"scripted-model\",\"x\":\"" + new string('a', BodyLimit) + "\"}"), 413);
            yield return ($"{path} 10,000 deep", path, Encoding.UTF8.GetBytes("{\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}"), 400);
            yield return ($"{path} no model", path, "{}"u8.ToArray(), 400);
            yield return ($"{path} unknown model", path, Encoding.UTF8.GetBytes("""{"model":"llama3.2:latest","messages":[{"role":"user","content":"Hi"}],"prompt":"Hi"}"""), 404);
            yield return ($"{path} model a number", path, "{\"model\":7}"u8.ToArray(), 400);
        }

        yield return Chat("lone surrogate", """{"model":"scripted-model","messages":[{"role":"user","content":"\ud800"}]}""", 400);
        yield return Chat("UTF-16", Encoding.UTF8.GetString(Encoding.Unicode.GetBytes("{}")), 400);
        yield return Chat("no messages", """{"model":"scripted-model"}""", 400);
        yield return ChatField("messages", "[]", 400);
        yield return ChatField("messages", "{}", 400);
        yield return ChatField("messages", "\"Hi\"", 400);
        yield return ChatField("messages", "[" + string.Join(',', Enumerable.Repeat("""{"role":"user","content":"x"}""", 257)) + "]", 413);
        yield return Message("null", 400);
        yield return Message("1", 400);
        yield return Message("""{"content":"Hi"}""", 400);
        yield return Message("""{"role":"robot","content":"Hi"}""", 400);
        yield return Message("""{"role":"USER","content":"Hi"}""", 400);
        yield return Message("""{"role":"developer","content":"Hi"}""", 400);
        yield return Message("""{"role":7,"content":"Hi"}""", 400);
        yield return Message("""{"role":"user","content":7}""", 400);
        yield return Message("""{"role":"user","content":["Hi"]}""", 400);
        yield return Message("""{"role":"user","content":"Hi","images":["aGk="]}""", 400);
        yield return Message("""{"role":"user","content":"Hi","images":"aGk="}""", 400);
        yield return Message("""{"role":"user","content":"Hi","tool_calls":[{"function":{"name":"a"}}]}""", 400);
        yield return Message("""{"role":"assistant","content":"","tool_calls":"x"}""", 400);
        yield return Message("""{"role":"assistant","content":"","tool_calls":[{"function":{"arguments":{}}}]}""", 400);
        yield return Message("""{"role":"assistant","content":"","tool_calls":[{"function":{"name":"a","arguments":7}}]}""", 400);
        yield return Message("""{"role":"tool","content":"{}","tool_name":7}""", 400);
        yield return Message("""{"role":"user","content":"Hi","images":[]}""", 200);
        yield return Message("""{"role":"assistant","content":"","tool_calls":[{"function":{"index":0,"name":"a","arguments":{"x":1}}}]},{"role":"tool","content":"ok","tool_name":"a"}""", 200);
        yield return ChatField("stream", "\"yes\"", 400);
        yield return ChatField("stream", "1", 400);
        yield return ChatField("format", "\"xml\"", 400);
        yield return ChatField("format", "7", 400);
        yield return ChatField("format", "[]", 400);
        yield return ChatField("format", """{"type":"object","patternProperties":{"a":{}}}""", 400);
        yield return ChatField("format", "\"json\"", 200);
        yield return ChatField("format", "null", 200);
        yield return ChatField("tools", "\"x\"", 400);
        yield return ChatField("tools", "{}", 400);
        yield return ChatField("tools", "[]", 400);
        yield return ChatField("tools", "[1]", 400);
        yield return ChatField("tools", """[{"type":"function"}]""", 400);
        yield return ChatField("tools", """[{"type":"function","function":{"name":""}}]""", 400);
        yield return ChatField("tools", """[{"type":"function","function":{"name":"a","parameters":"x"}}]""", 400);
        yield return ChatField("tools", """[{"type":"function","function":{"name":"a","parameters":{"type":"object","properties":{"x":{"type":"string","enum":null}}}}}]""", 200);
        yield return ChatField("keep_alive", "\"5m\"", 200);
        yield return ChatField("keep_alive", "-1", 200);
        yield return ChatField("keep_alive", "0", 200);
        yield return ChatField("think", "false", 200);
        yield return ChatField("unknown_field", "{\"deep\":[1,2,3]}", 200);
        yield return ChatField("options", "7", 400);
        yield return ChatField("options", "[]", 400);
        yield return ChatField("options", "{}", 200);
        yield return ChatField("options", "null", 200);

        foreach (var option in new[] { "temperature", "top_p", "min_p", "repeat_penalty" })
        {
            yield return Option(option, "\"hot\"", 400);
            yield return Option(option, "true", 400);
            yield return Option(option, "[]", 400);
            yield return Option(option, Huge, 400);
            yield return Option(option, "-" + Huge, 400);
        }

        yield return Option("temperature", "-0.1", 400);
        yield return Option("temperature", "2.5", 400);
        yield return Option("top_p", "0", 400);
        yield return Option("top_p", "1.5", 400);
        yield return Option("min_p", "-1", 400);
        yield return Option("min_p", "2", 400);
        yield return Option("repeat_penalty", "0", 400);
        yield return Option("repeat_penalty", "-1", 400);
        foreach (var option in new[] { "top_k", "num_predict", "num_ctx" })
        {
            yield return Option(option, "\"8\"", 400);
            yield return Option(option, "1.5", 400);
            yield return Option(option, TwoToThe64, 400);
            yield return Option(option, Huge, 400);
        }

        yield return Option("top_k", "-1", 400);
        yield return Option("num_predict", "0", 400);
        yield return Option("num_predict", "-3", 400);
        yield return Option("num_predict", "100000000", 413);
        yield return Option("num_ctx", "0", 400);
        yield return Option("num_ctx", "100000", 400);
        yield return Option("seed", "\"1\"", 400);
        yield return Option("seed", TwoToThe64, 400);
        yield return Option("seed", "-1", 200);
        yield return Option("stop", "\"END\"", 400);
        yield return Option("stop", "[1]", 400);
        yield return Option("stop", "[\"\"]", 400);
        yield return Option("stop", "[" + string.Join(',', Enumerable.Repeat("\"x\"", 9)) + "]", 400);
        yield return Option("stop", "[\"END\"]", 200);
        yield return Option("num_predict", "-2", 200);
        yield return Option("top_k", "0", 200);
        yield return Option("mirostat", "2", 200);

        yield return Generate("prompt", "\"\"", 400);
        yield return Generate("prompt", "7", 400);
        yield return Generate("prompt", "[\"Hi\"]", 400);
        yield return Generate("system", "7", 400);
        yield return Generate("images", "[\"aGk=\"]", 400);
        yield return Generate("format", "\"yaml\"", 400);
        yield return Generate("raw", "false", 200);
        yield return Generate("system", "\"Be brief.\"", 200);
        yield return ("show by name", "/api/show", "{\"name\":\"scripted-model:latest\"}"u8.ToArray(), 200);
        yield return ("show name a list", "/api/show", "{\"name\":[\"x\"]}"u8.ToArray(), 400);
    }

    [Fact]
    public async Task Every_malformed_body_gets_its_documented_status_and_ollamas_error_shape_never_a_500()
    {
        await using var server = await OllamaTestServer.StartAsync(
            new ScriptedEngineLoader(new ScriptedEngine()),
            limits => (limits.MaxPayloadBytes, limits.RatePerReplyTopic, limits.BurstPerReplyTopic) = (BodyLimit, 1_000_000, 1_000_000));
        var cases = Cases().ToList();
        var wrong = new List<string>();

        foreach (var (what, path, body, status) in cases)
        {
            using var content = new ByteArrayContent(body);
            using var response = await server.Client.PostAsync(new Uri(path, UriKind.Relative), content);
            var text = await response.Content.ReadAsStringAsync();
            var problem = (int)response.StatusCode != status ? $"status {(int)response.StatusCode}, documented {status}"
                : status >= 400 && !IsOllamaError(text) ? "not Ollama's {\"error\":\"…\"}"
                : null;
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

    private static bool IsOllamaError(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String && error.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 30 ? text : string.Concat(text.AsSpan(0, 30), "…");
}
