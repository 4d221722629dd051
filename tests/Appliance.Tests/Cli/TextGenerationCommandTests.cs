using Appliance.Inference.Templates;

namespace Appliance.Tests.Cli;

public sealed class TextGenerationCommandTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Prompt_is_rendered_through_the_chat_template_and_the_reply_streams_as_text()
    {
        var expected = GreedyReply.For(model.ModelPath, 10, new ChatMessage("system", "Be brief."), new ChatMessage("user", "hello there"));

        var run = await CliRun.InvokeAsync(
            "generate", "--model", model.ModelPath, "--system", "Be brief.", "--prompt", "hello there", "--max-new-tokens", "10", "--greedy", "--threads", "1");

        Assert.NotEmpty(expected.Text);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected.Text + Environment.NewLine, run.Output);
        Assert.Contains($"(greedy), finish: ", run.Error, StringComparison.Ordinal);
        Assert.Contains($"; prefill {expected.PromptTokens} tokens in ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_string_spanning_two_tokens_ends_the_reply_and_is_not_printed()
    {
        var expected = GreedyReply.For(model.ModelPath, 16, new ChatMessage("user", "tell me"));
        var stop = StopAcrossTokenBoundary(expected.TokenTexts);
        var before = expected.Text[..expected.Text.IndexOf(stop, StringComparison.Ordinal)];

        var run = await CliRun.InvokeAsync(
            "generate", "--model", model.ModelPath, "--prompt", "tell me", "--max-new-tokens", "16", "--greedy", "--threads", "1", "--stop", "never appears", "--stop", stop);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(before + Environment.NewLine, run.Output);
        Assert.Contains("finish: stop string;", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeded_text_sampling_with_min_p_and_repetition_penalty_repeats_and_reports_them()
    {
        string[] args = ["generate", "--model", model.ModelPath, "--prompt", "hi", "--max-new-tokens", "8", "--threads", "1", "--temperature", "0.9", "--min-p", "0.05", "--repetition-penalty", "1.3", "--seed", "5"];

        var first = await CliRun.InvokeAsync(args);
        var second = await CliRun.InvokeAsync(args);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, second.Output);
        Assert.Contains(", min-p 0.05, repetition penalty 1.3, seed 5)", first.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "generate", "--model", "MODEL" }, "error: Give exactly one of --prompt (text) and --token-ids (ids).")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--prompt", "a", "--token-ids", "1" }, "error: Give exactly one of --prompt (text) and --token-ids (ids).")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--token-ids", "1", "--stop", "x" }, "error: --system and --stop need --prompt; --token-ids works on raw ids.")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--prompt", "a", "--stop", "" }, "error: --stop needs a non-empty text.")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--prompt", "a", "--min-p", "1.5" }, "error: --min-p 1.5: min_p must be in [0, 1] (0 = no limit).")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--prompt", "a", "--repetition-penalty", "0" }, "error: --repetition-penalty 0: repetition_penalty must be a finite number > 0 (1 = off).")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--prompt", "a", "--temperature", "-1" }, "error: --temperature -1: temperature must be a finite number >= 0 (0 = greedy).")]
    [InlineData(new[] { "generate", "--model", "MODEL", "--prompt", "a", "--top-p", "0" }, "error: --top-p 0: top_p must be in (0, 1] (1 = no limit).")]
    [InlineData(new[] { "chat", "--model", "MODEL", "--top-k", "-3" }, "error: --top-k -3: top_k must be >= 0 (0 = no limit).")]
    public async Task Bad_text_generation_arguments_give_one_error_line(string[] args, string message)
    {
        var run = await CliRun.InvokeAsync([.. args.Select(arg => arg == "MODEL" ? model.ModelPath : arg)]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([message], run.ErrorLines);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Chat_re_renders_the_whole_history_each_turn_and_ends_at_exit()
    {
        var first = GreedyReply.For(model.ModelPath, 6, new ChatMessage("system", "S"), new ChatMessage("user", "hello"));
        var second = GreedyReply.For(
            model.ModelPath, 6, new ChatMessage("system", "S"), new ChatMessage("user", "hello"), new ChatMessage("assistant", first.Text), new ChatMessage("user", "and then"));

        var run = await CliRun.InvokeWithInputAsync(
            "hello\n\nand then\n/exit\nnot read\n", "chat", "--model", model.ModelPath, "--system", "S", "--max-new-tokens", "6", "--greedy", "--threads", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(first.Text + Environment.NewLine + second.Text + Environment.NewLine, run.Output);
    }

    [Fact]
    public async Task Chat_ends_at_end_of_input()
    {
        var reply = GreedyReply.For(model.ModelPath, 4, new ChatMessage("user", "one"));

        var run = await CliRun.InvokeWithInputAsync("one", "chat", "--model", model.ModelPath, "--max-new-tokens", "4", "--greedy", "--threads", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(reply.Text + Environment.NewLine, run.Output);
    }

    [Fact]
    public async Task Chat_that_outgrows_the_context_stops_with_one_error_line()
    {
        var longLine = string.Join(' ', Enumerable.Repeat("word", 200));

        var run = await CliRun.InvokeWithInputAsync(longLine + "\n", "chat", "--model", model.ModelPath, "--greedy", "--threads", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^error: The conversation \(\d+ tokens\) no longer fits the model's maximum sequence length of 96; start a new chat\.$", run.ErrorLines[^1].Replace("> ", string.Empty, StringComparison.Ordinal));
    }

    /// <summary>Four characters around the first boundary between two tokens' texts that has two on each side.</summary>
    private static string StopAcrossTokenBoundary(string[] tokenTexts)
    {
        var position = 0;
        for (var i = 0; i < tokenTexts.Length - 1; i++)
        {
            position += tokenTexts[i].Length;
            if (tokenTexts[i].Length >= 2 && tokenTexts[i + 1].Length >= 2)
            {
                var text = string.Concat(tokenTexts);
                return text.Substring(position - 2, 4);
            }
        }

        throw new InvalidOperationException($"The greedy reply has no two adjacent tokens of two or more characters: [{string.Join("|", tokenTexts)}]");
    }
}
