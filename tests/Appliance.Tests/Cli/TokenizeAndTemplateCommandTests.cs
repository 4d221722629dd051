using Appliance.Inference.Tokenization;

namespace Appliance.Tests.Cli;

public sealed class TokenizeAndTemplateCommandTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    private string TokenizerPath => Path.Combine(model.ModelPath, "tokenizer.json");

    private string ConfigPath => Path.Combine(model.ModelPath, "tokenizer_config.json");

    [Fact]
    public async Task Tokenize_prints_the_ids_as_a_json_array()
    {
        var expected = Tokenizer.FromDirectory(model.ModelPath).Encode("hello world <|im_end|>");

        var run = await CliRun.InvokeAsync("tokenize", "--tokenizer", TokenizerPath, "--text", "hello world <|im_end|>");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"[{string.Join(',', expected)}]" + Environment.NewLine, run.Output);
        Assert.Contains(Tokenizer.FromDirectory(model.ModelPath).TokenToId("<|im_end|>")!.Value, expected);
    }

    [Fact]
    public async Task Tokenize_reads_a_file()
    {
        var file = model.Combine("tokenize-input.txt");
        await File.WriteAllTextAsync(file, "line one\nline two\n");

        var run = await CliRun.InvokeAsync("tokenize", "--tokenizer", TokenizerPath, "--file", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"[{string.Join(',', Tokenizer.FromDirectory(model.ModelPath).Encode("line one\nline two\n"))}]" + Environment.NewLine, run.Output);
    }

    [Fact]
    public async Task Tokenize_lines_prints_one_array_per_json_string()
    {
        string[] texts = ["line one", "two\nlines", "", "<|im_end|> and \"quotes\" \u00e9"];
        var file = model.Combine("tokenize-lines.jsonl");
        await File.WriteAllLinesAsync(file, texts.Select(text => System.Text.Json.JsonSerializer.Serialize(text, Appliance.Tests.Contract.RequestsTestJson.Default.String)));
        var tokenizer = Tokenizer.FromDirectory(model.ModelPath);

        var run = await CliRun.InvokeAsync("tokenize", "--tokenizer", TokenizerPath, "--lines", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Concat(texts.Select(text => $"[{string.Join(',', tokenizer.Encode(text))}]" + Environment.NewLine)), run.Output);
    }

    [Theory]
    [InlineData("\"fine\"\n42\n", "line 2: expected a JSON string, got Number.")]
    [InlineData("\"fine\"\n\"open\n", "line 2: not a JSON string: ")]
    public async Task Tokenize_lines_names_the_bad_line(string content, string problem)
    {
        var file = model.Combine($"bad-lines-{content.Length}.jsonl");
        await File.WriteAllTextAsync(file, content);

        var run = await CliRun.InvokeAsync("tokenize", "--tokenizer", TokenizerPath, "--lines", file);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: {file}: {problem}", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "tokenize", "--tokenizer", "TOKENIZER" }, "error: Give exactly one of --text, --file and --lines.")]
    [InlineData(new[] { "tokenize", "--tokenizer", "TOKENIZER", "--text", "a", "--file", "f" }, "error: Give exactly one of --text, --file and --lines.")]
    [InlineData(new[] { "tokenize", "--tokenizer", "TOKENIZER", "--file", "f", "--lines", "g" }, "error: Give exactly one of --text, --file and --lines.")]
    public async Task Tokenize_needs_exactly_one_input(string[] args, string message)
    {
        var run = await CliRun.InvokeAsync([.. args.Select(arg => arg == "TOKENIZER" ? TokenizerPath : arg)]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([message], run.ErrorLines);
    }

    [Fact]
    public async Task Tokenize_names_a_missing_tokenizer_file()
    {
        var missing = model.Combine("nope", "tokenizer.json");

        var run = await CliRun.InvokeAsync("tokenize", "--tokenizer", missing, "--text", "a");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(missing, Assert.Single(run.ErrorLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "<|im_start|>system\nBe \"brief\".<|im_end|>\n<|im_start|>user\nhi\nthere<|im_end|>\n")]
    [InlineData(true, "<|im_start|>system\nBe \"brief\".<|im_end|>\n<|im_start|>user\nhi\nthere<|im_end|>\n<|im_start|>assistant\n")]
    public async Task Template_prints_the_rendered_prompt_exactly(bool addGenerationPrompt, string expected)
    {
        var messages = model.Combine($"messages-{addGenerationPrompt}.json");
        await File.WriteAllTextAsync(messages, """[{"role": "system", "content": "Be \"brief\"."}, {"role": "user", "content": "hi\nthere"}]""");
        string[] args = ["template", "--tokenizer-config", ConfigPath, "--messages", messages];

        var run = await CliRun.InvokeAsync(addGenerationPrompt ? [.. args, "--add-generation-prompt"] : args);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, run.Output);
        Assert.Empty(run.Error);
    }

    [Theory]
    [InlineData("{\"role\": \"user\"}", "expected a JSON array of messages, got Object.")]
    [InlineData("[{", "not valid JSON: ")]
    public async Task Template_names_a_bad_messages_file(string content, string problem)
    {
        var messages = model.Combine($"bad-messages-{content.Length}.json");
        await File.WriteAllTextAsync(messages, content);

        var run = await CliRun.InvokeAsync("template", "--tokenizer-config", ConfigPath, "--messages", messages);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"error: {messages}: {problem}", Assert.Single(run.ErrorLines), StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }
}
