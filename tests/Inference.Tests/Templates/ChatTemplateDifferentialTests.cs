using System.Text;

namespace Appliance.Inference.Tests.Templates;

/// <summary>
/// Our renderer against @huggingface/jinja 0.5.11 (what transformers.js runs), byte for byte, on the chat templates
/// shipped in real tokenizer_config.json files and on a corpus of single-feature templates.
/// </summary>
public sealed class ChatTemplateDifferentialTests(OracleRun run) : IClassFixture<OracleRun>
{
    [Theory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("gemma3")]
    [InlineData("llama2-style")]
    public void Generated_conversations_render_exactly_like_the_reference(string suite)
    {
        var valid = run.Outcomes[suite].Where(o => o.ExpectedValid).ToList();

        Assert.True(valid.Count >= 200, $"only {valid.Count} valid conversations for {suite}");
        AssertSameOutcomes(valid.Where(o => !o.Reference.Ok).ToList(), "reference failed on a valid conversation");
        AssertSameOutcomes(valid.Where(o => !SameOutcome(o)).ToList(), "renders differ");
    }

    [Theory]
    [InlineData("llama3")]
    [InlineData("qwen3")]
    [InlineData("gemma3")]
    [InlineData("llama2-style")]
    public void Invalid_conversations_fail_on_both_sides(string suite)
    {
        var invalid = run.Outcomes[suite].Where(o => !o.ExpectedValid).ToList();

        Assert.NotEmpty(invalid);
        Assert.All(invalid, o =>
        {
            Assert.False(o.Reference.Ok, $"{o.Id}: the reference rendered it");
            Assert.False(o.Ours.Ok, $"{o.Id}: we rendered it: {o.Ours.Text}");
        });
    }

    [Theory]
    [InlineData("gemma3", "Conversation roles must alternate user/assistant/user/assistant/...")]
    [InlineData("gemma3", "Invalid content type")]
    [InlineData("llama2-style", "Conversation roles must alternate user/assistant/user/assistant/...")]
    [InlineData("llama2-style", "No messages to format")]
    public void Raise_exception_messages_match_the_reference(string suite, string message)
    {
        var raised = run.Outcomes[suite].Where(o => o.Reference.Error == message).ToList();

        Assert.NotEmpty(raised);
        Assert.All(raised, o => Assert.Equal(message, o.Ours.Error));
    }

    [Fact]
    public void Feature_corpus_renders_exactly_like_the_reference()
    {
        var outcomes = run.Outcomes
            .Where(suite => suite.Key.StartsWith(FeatureCorpus.SuitePrefix, StringComparison.Ordinal))
            .SelectMany(suite => suite.Value)
            .ToList();

        Assert.NotEmpty(outcomes);
        AssertSameOutcomes(outcomes.Where(o => o.ExpectedValid && !o.Reference.Ok).ToList(), "reference failed on a valid feature");
        AssertSameOutcomes(outcomes.Where(o => !SameOutcome(o)).ToList(), "renders differ");
    }

    [Fact]
    public void Random_whitespace_and_tag_mixes_render_exactly_like_the_reference()
    {
        var outcomes = run.Outcomes
            .Where(suite => suite.Key.StartsWith(WhitespaceFuzz.SuitePrefix, StringComparison.Ordinal))
            .SelectMany(suite => suite.Value)
            .ToList();

        Assert.Equal(WhitespaceFuzz.Count, outcomes.Count);
        AssertSameOutcomes(outcomes.Where(o => !o.Reference.Ok).ToList(), "reference failed on a generated template");
        AssertSameOutcomes(outcomes.Where(o => !SameOutcome(o)).ToList(), "renders differ");
    }

    private static bool SameOutcome(DifferentialOutcome outcome) =>
        outcome.Reference.Ok == outcome.Ours.Ok && (!outcome.Reference.Ok || outcome.Reference.Text == outcome.Ours.Text);

    private static void AssertSameOutcomes(List<DifferentialOutcome> failures, string what)
    {
        if (failures.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"{failures.Count} case(s): {what}\n");
        foreach (var failure in failures.Take(5))
        {
            report.Append(failure.Id).Append('\n')
                .Append("  reference: ").Append(Show(failure.Reference)).Append('\n')
                .Append("  ours:      ").Append(Show(failure.Ours)).Append('\n');
        }

        Assert.Fail(report.ToString());
    }

    private static string Show(OracleResult result) => result.Ok
        ? System.Text.Json.JsonSerializer.Serialize(result.Text)
        : $"{result.Stage} error: {result.Error}";
}
