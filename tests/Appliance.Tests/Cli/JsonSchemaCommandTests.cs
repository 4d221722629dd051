using System.Text.Json;
using Appliance.Inference.Structured;

namespace Appliance.Tests.Cli;

/// <summary>`generate --json-schema` and `bench --json-schema` on the tiny random-weight model.</summary>
public sealed class JsonSchemaCommandTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    private const string Schema = """{"type":"object","properties":{"on":{"type":"boolean"},"level":{"type":"integer","minimum":0,"maximum":9}},"required":["on","level"],"additionalProperties":false}""";

    [Fact]
    public async Task Generate_prints_json_valid_against_the_schema()
    {
        var schema = model.Combine("light.schema.json");
        await File.WriteAllTextAsync(schema, Schema);

        var run = await CliRun.InvokeAsync("generate", "--model", model.ModelPath, "--prompt", "Light on?", "--json-schema", schema, "--max-new-tokens", "40", "--temperature", "1", "--seed", "4", "--threads", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.True(JsonGrammar.FromSchema(Schema).Matches(run.Output.Trim()), run.Output);
        Assert.Contains("finish: EndOfSequence", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_refuses_an_unsupported_schema_in_one_line()
    {
        var schema = model.Combine("pattern.schema.json");
        await File.WriteAllTextAsync(schema, """{"type":"string","pattern":"^a"}""");

        var run = await CliRun.InvokeAsync("generate", "--model", model.ModelPath, "--prompt", "x", "--json-schema", schema);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Equal($"error: --json-schema {schema}: 'pattern' at $: regular-expression patterns are not supported", run.Error.Trim());
    }

    [Fact]
    public async Task Bench_reports_the_mask_share_of_the_decode_step()
    {
        var schema = model.Combine("bench.schema.json");
        await File.WriteAllTextAsync(schema, Schema);

        var run = await CliRun.InvokeAsync(
            "bench", "--model", model.ModelPath, "--prompt-tokens", "8", "--gen-tokens", "24", "--repetitions", "2", "--threads", "1", "--bandwidth-mib", "8", "--json", "--json-schema", schema);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Output);
        var structured = json.RootElement.GetProperty("structured");
        Assert.Equal(2, structured.GetProperty("complete_outputs").GetInt32());
        Assert.True(structured.GetProperty("mask_fraction_of_step").GetDouble() is > 0 and < 1);
        Assert.True(structured.GetProperty("mask_us_per_token").GetDouble() > 0);
        Assert.Equal(0, structured.GetProperty("alloc_bytes_per_token").GetDouble());
    }
}
