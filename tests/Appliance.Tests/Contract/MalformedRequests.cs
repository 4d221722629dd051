using System.Text;

namespace Appliance.Tests.Contract;

/// <summary>
/// Seeded request payloads that are each wrong by construction: broken JSON, wrong types, out-of-range values, unknown
/// or repeated fields, bad UTF-8, nesting too deep, oversize. None names a reply_to, so every error goes to the
/// default response topic; ids, where present, are unique.
/// </summary>
internal static class MalformedRequests
{
    private const string Valid = """{"id":"ID","prompt":"What is the capital of France?","max_tokens":32,"temperature":0.7,"stop":["\n"]}""";

    public static IReadOnlyList<byte[]> Generate(int seed, int count, int maxPayloadBytes = 4096)
    {
        var random = new Random(seed);
        var payloads = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            payloads.Add(Make(random, $"f{i}", maxPayloadBytes));
        }

        return payloads;
    }

    private static byte[] Make(Random random, string id, int maxPayloadBytes)
    {
        var valid = Valid.Replace("ID", id, StringComparison.Ordinal);
        string Field(string name, string value) => $$"""{"id":"{{id}}","prompt":"hi",{{Quote(name)}}:{{value}}}""";
        switch (random.Next(12))
        {
            case 0:
                return Encoding.UTF8.GetBytes(valid[..random.Next(1, valid.Length)]);
            case 1:
                var bytes = new byte[1 + random.Next(64)];
                random.NextBytes(bytes);
                bytes[0] = (byte)"x[5\"tn-]}"[random.Next(9)];
                return bytes;
            case 2:
                string[] wrongTypes =
                [
                    Field("max_tokens", "\"ten\""), Field("temperature", "[0.5]"), Field("top_p", "true"), Field("top_k", "1.5"),
                    Field("seed", "-4"), Field("stream", "\"yes\""), Field("stop", "[1,2]"), Field("stop", "{}"),
                    $$"""{"id":"{{id}}","prompt":42}""", $$"""{"id":"{{id}}","messages":"hello"}""", $$"""{"id":{"x":1},"prompt":"hi"}""",
                ];
                return Encoding.UTF8.GetBytes(wrongTypes[random.Next(wrongTypes.Length)]);
            case 3:
                string[] outOfRange =
                [
                    Field("max_tokens", "0"), Field("max_tokens", "-3"), Field("temperature", "-0.1"), Field("temperature", "2.5"),
                    Field("top_p", "0"), Field("top_p", "1.01"), Field("top_k", "-1"), Field("stop", "\"\""), Field("stop", "[\"\"]"),
                    Field("max_tokens", random.Next(100_000, int.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Field("reply_to", "\"a/#\""), Field("reply_to", "\"$SYS/x\""),
                ];
                return Encoding.UTF8.GetBytes(outOfRange[random.Next(outOfRange.Length)]);
            case 4:
                var unknown = new string((char)('a' + random.Next(26)), 1 + random.Next(8));
                return Encoding.UTF8.GetBytes(Field(unknown == "id" ? "idx" : $"x_{unknown}", "1"));
            case 5:
                return Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"a","prompt":"b"}""");
            case 6:
                var depth = 9 + random.Next(40);
                return Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"a","stop":{{new string('[', depth)}}{{new string(']', depth)}}}""");
            case 7:
                var head = Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"a""");
                byte[] bad = [(byte)(0x80 + random.Next(64)), 0xFF, (byte)'"', (byte)'}'];
                return [.. head, .. bad];
            case 8:
                return Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","prompt":"{{new string('a', maxPayloadBytes + random.Next(1, 500))}}"}""");
            case 9:
                string[] conversations =
                [
                    $$"""{"id":"{{id}}","messages":[]}""",
                    $$"""{"id":"{{id}}","messages":[{"role":"robot","content":"hi"}]}""",
                    $$"""{"id":"{{id}}","messages":[{"role":"user"}]}""",
                    $$"""{"id":"{{id}}","messages":[{"role":"user","content":"hi","name":"x"}]}""",
                    $$"""{"id":"{{id}}","messages":["hi"]}""",
                    $$"""{"id":"{{id}}","prompt":"a","messages":[{"role":"user","content":"hi"}]}""",
                ];
                return Encoding.UTF8.GetBytes(conversations[random.Next(conversations.Length)]);
            case 10:
                string[] shapes = ["", "   ", "null", "[]", "\"prompt\"", "{}", $$"""{"id":"{{id}}"}""", $$"""{"id":"{{id}}","prompt":"   "}""", valid + "{}", valid + "x"];
                return Encoding.UTF8.GetBytes(shapes[random.Next(shapes.Length)]);
            default:
                string[] badIds = ["a/b", "a+b", "#", "", new string('i', 129), "tab\there"];
                return Encoding.UTF8.GetBytes($$"""{"id":{{Quote(badIds[random.Next(badIds.Length)])}},"prompt":"hi"}""");
        }
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text, RequestsTestJson.Default.String);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class RequestsTestJson : System.Text.Json.Serialization.JsonSerializerContext;
