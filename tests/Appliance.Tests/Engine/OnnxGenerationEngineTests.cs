using Appliance.Contract;
using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Sessions;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using Appliance.TestSupport;
using Appliance.Tests.Cli;
using System.Text;
using System.Text.Json.Nodes;

namespace Appliance.Tests.Engine;

/// <summary>The real engine on a tiny synthetic-weight model (random weights: its text is meaningless, but deterministic).</summary>
public sealed class OnnxGenerationEngineTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task A_greedy_reply_matches_the_generator_and_streams_the_same_text()
    {
        using var engine = await Load(model.ModelPath);
        var expected = GreedyReply.For(model.ModelPath, 12, new ChatMessage("user", "Hello there"));
        var streamed = new StringBuilder();
        var calls = 0;

        var reply = await engine.GenerateAsync(
            Greedy("Hello there", maxTokens: 12),
            delta =>
            {
                calls++;
                streamed.Append(delta);
            },
            CancellationToken.None);

        Assert.Equal(expected.Text, reply.Text);
        Assert.Equal(reply.Text, streamed.ToString());
        Assert.Equal(expected.PromptTokens, reply.Usage.PromptTokens);
        Assert.Equal(expected.TokenTexts.Length, reply.Usage.CompletionTokens);
        Assert.True(calls >= reply.Usage.CompletionTokens);
        Assert.Equal(reply.Usage.CompletionTokens == 12 ? FinishReason.Length : FinishReason.EndOfSequence, reply.FinishReason);
        Assert.True(reply.Timings.TimeToFirstTokenMs > 0 && reply.Timings.TotalMs >= reply.Timings.TimeToFirstTokenMs);
        Assert.True(reply.Timings.PrefillTokensPerSecond > 0);
        Assert.Equal(96, engine.ContextLength);
        Assert.Equal("model", engine.ModelName);
    }

    [Fact]
    public async Task A_stop_string_ends_the_reply_before_it()
    {
        using var engine = await Load(model.ModelPath);
        var full = (await engine.GenerateAsync(Greedy("Hello there", maxTokens: 24), null, CancellationToken.None)).Text;
        var stop = full.Substring(full.Length / 2, Math.Min(3, full.Length - (full.Length / 2)));
        Assert.False(string.IsNullOrEmpty(stop), $"the reply '{full}' is too short to cut");

        var reply = await engine.GenerateAsync(Greedy("Hello there", maxTokens: 24) with { Stop = [stop] }, null, CancellationToken.None);

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], reply.Text);
        Assert.Equal(FinishReason.StoppedByCaller, reply.FinishReason);
        Assert.Equal("stop", FinishReasonNames.Of(reply.FinishReason));
    }

    [Fact]
    public async Task A_prompt_that_leaves_no_room_for_max_tokens_is_too_large()
    {
        using var engine = await Load(model.ModelPath);

        var error = await Assert.ThrowsAsync<ContextLengthExceededException>(() => engine.GenerateAsync(Greedy("Hello there", maxTokens: 90), null, CancellationToken.None));

        Assert.Equal((90, 96), (error.MaxNewTokens, error.MaxSequenceLength));
        Assert.True(error.PromptTokens > 6);
        Assert.Equal($"the prompt is {error.PromptTokens} tokens; with max_tokens 90 the model's context of 96 tokens leaves room for 6 prompt tokens", PromptTooLargeText.Of(error));
    }

    [Fact]
    public async Task Without_max_tokens_the_reply_gets_the_room_left_in_the_context_capped_by_the_default()
    {
        using var engine = await Load(model.ModelPath);
        var unbounded = new EngineRequest { Messages = [new ChatMessage("user", "Hello there")], DefaultMaxTokens = 256, Sampling = new SamplingRequest { Temperature = 0 }, Stop = [] };

        var filled = await engine.GenerateAsync(unbounded, null, CancellationToken.None);
        var capped = await engine.GenerateAsync(unbounded with { DefaultMaxTokens = 5 }, null, CancellationToken.None);

        // Random weights may end the turn early; a reply cut by length has filled the context exactly.
        var used = filled.Usage.PromptTokens + filled.Usage.CompletionTokens;
        Assert.True(filled.FinishReason == FinishReason.Length ? used == 96 : used < 96, $"{filled.FinishReason} after {used} of 96 tokens");
        Assert.True(capped.Usage.CompletionTokens <= 5);
    }

    [Fact]
    public async Task Cancelling_ends_the_reply_early_without_throwing()
    {
        using var engine = await Load(model.ModelPath);
        using var cancel = new CancellationTokenSource();
        var tokens = 0;

        var reply = await engine.GenerateAsync(
            Greedy("Hello there", maxTokens: 40) with { Stop = [] },
            _ =>
            {
                if (++tokens == 3)
                {
                    cancel.Cancel();
                }
            },
            cancel.Token);

        Assert.Equal(FinishReason.Cancelled, reply.FinishReason);
        Assert.Equal(3, reply.Usage.CompletionTokens);
        Assert.True(reply.Timings.TimeToFirstTokenMs > 0 && reply.Timings.PrefillTokensPerSecond > 0);
    }

    [Fact]
    public async Task The_time_limit_ends_the_reply_as_a_timeout_with_its_text_so_far()
    {
        using var engine = await Load(model.ModelPath);
        using var limit = new CancellationTokenSource();
        var streamed = new StringBuilder();
        var tokens = 0;

        var reply = await engine.GenerateAsync(
            Greedy("Hello there", maxTokens: 40) with { Stop = [] },
            delta =>
            {
                streamed.Append(delta);
                if (++tokens == 2)
                {
                    limit.Cancel();
                }
            },
            CancellationToken.None,
            limit.Token);

        Assert.Equal(("timeout", 2), (FinishReasonNames.Of(reply.FinishReason), reply.Usage.CompletionTokens));
        Assert.Equal(streamed.ToString(), reply.Text);
    }

    [Fact]
    public async Task A_request_s_min_p_and_repetition_penalty_reach_the_sampler()
    {
        using var engine = await Load(model.ModelPath);
        var sampling = new SamplingRequest { Temperature = 0.7, MinP = 0.05, RepetitionPenalty = 1.3, Seed = 4 };

        var reply = await engine.GenerateAsync(Greedy("Hello there", maxTokens: 4) with { Sampling = sampling }, null, CancellationToken.None);

        Assert.Equal((0.7, 0.05, 1.3, 4UL), (reply.Sampling.Temperature, reply.Sampling.MinP, reply.Sampling.RepetitionPenalty, reply.Sampling.Seed));
    }

    [Fact]
    public async Task A_template_that_refuses_the_conversation_is_an_invalid_conversation()
    {
        using var copy = CopyOfModel("refusing-template");

        // The edited template no longer matches the manifest's hash; without a manifest nothing is checked.
        File.Delete(copy.Combine("manifest.json"));
        var configPath = copy.Combine("tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["chat_template"] = "{% if messages[0]['role'] == 'system' %}{{ raise_exception('System messages are not supported') }}{% endif %}"
            + config["chat_template"]!.GetValue<string>();
        File.WriteAllText(configPath, config.ToJsonString());
        using var engine = await new OnnxGenerationEngineLoader().LoadAsync(new EngineOptions { ModelPath = copy.Path, Threads = 1 }, CancellationToken.None);

        var request = Greedy("hi", 4) with { Messages = [new ChatMessage("system", "x"), new ChatMessage("user", "hi")] };
        var error = await Assert.ThrowsAsync<InvalidConversationException>(() => engine.GenerateAsync(request, null, CancellationToken.None));

        Assert.Contains("System messages are not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_tokenizer_read_while_the_session_builds_fails_the_load_naming_the_file()
    {
        using var copy = CopyOfModel("broken-tokenizer");

        // Without a manifest nothing is hashed, so the session builds and the tokenizer alone is at fault.
        File.Delete(copy.Combine("manifest.json"));
        var tokenizer = copy.Combine("tokenizer.json");
        File.WriteAllText(tokenizer, File.ReadAllText(tokenizer)[..100]);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => new OnnxGenerationEngineLoader().LoadAsync(new EngineOptions { ModelPath = copy.Path, Threads = 1 }, CancellationToken.None));

        Assert.Contains("tokenizer.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_loader_refuses_invalid_options_and_reports_a_broken_model_directory()
    {
        var loader = new OnnxGenerationEngineLoader();

        var options = Assert.Throws<ArgumentException>(() => { _ = loader.LoadAsync(new EngineOptions(), CancellationToken.None); });
        Assert.Contains("no model: pass --model DIR (or set Engine:ModelPath)", options.Message, StringComparison.Ordinal);

        using var empty = new TempDirectory("empty-model");
        var broken = await Assert.ThrowsAnyAsync<Exception>(() => loader.LoadAsync(new EngineOptions { ModelPath = empty.Path }, CancellationToken.None));
        Assert.Contains("genai_config.json", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_weight_file_changed_in_place_fails_the_load_with_the_mismatch_while_the_session_was_built_beside_the_hashing()
    {
        using var copy = CopyOfModel("tampered-model");

        var data = Path.Combine(copy.Path, "model.onnx.data");
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0x5a;
        File.WriteAllBytes(data, bytes);
        var loader = new OnnxGenerationEngineLoader();

        var error = await Assert.ThrowsAsync<ModelDirectoryException>(() => loader.LoadAsync(new EngineOptions { ModelPath = copy.Path }, CancellationToken.None));

        Assert.StartsWith($"{data}: SHA-256 mismatch, manifest.json expects ", error.Message, StringComparison.Ordinal);
        using var unverified = await loader.LoadAsync(new EngineOptions { ModelPath = copy.Path, VerifyHashes = false }, CancellationToken.None);
        Assert.Equal(SessionCacheOutcome.Off, unverified.SessionCache.Outcome);
    }

    [Fact]
    public async Task With_a_session_cache_the_second_load_is_a_hit_and_replies_the_same()
    {
        using var cache = new TempDirectory("engine-session-cache");
        var loader = new OnnxGenerationEngineLoader();
        var options = new EngineOptions { ModelPath = model.ModelPath, SessionCache = cache.Path };
        var request = Greedy("hello", maxTokens: 6);

        string first;
        using (var built = await loader.LoadAsync(options, CancellationToken.None))
        {
            Assert.Equal(SessionCacheOutcome.Built, built.SessionCache.Outcome);
            first = (await built.GenerateAsync(request, null, CancellationToken.None)).Text;
        }

        using var hit = await loader.LoadAsync(options, CancellationToken.None);

        Assert.Equal(SessionCacheOutcome.Hit, hit.SessionCache.Outcome);
        Assert.Equal(first, (await hit.GenerateAsync(request, null, CancellationToken.None)).Text);
    }

    [Fact]
    public async Task A_response_format_makes_every_reply_complete_json_of_the_schema()
    {
        using var engine = await Load(model.ModelPath);
        var grammar = JsonGrammar.FromSchema("""
            {"type":"object","properties":{"action":{"enum":["on","off"]},"level":{"type":"integer","minimum":0,"maximum":9}},
             "required":["action","level"],"additionalProperties":false}
            """);

        for (var seed = 1UL; seed <= 5; seed++)
        {
            var reply = await engine.GenerateAsync(
                EngineRequest.FromPrompt("Turn it on", maxTokens: 40) with { Sampling = new SamplingRequest { Temperature = 1, Seed = seed }, ResponseFormat = grammar },
                null,
                CancellationToken.None);

            Assert.Equal(FinishReason.EndOfSequence, reply.FinishReason);
            Assert.True(grammar.Matches(reply.Text), reply.Text);
            Assert.IsType<JsonObject>(JsonNode.Parse(reply.Text));
        }
    }

    private static async Task<IGenerationEngine> Load(string path) =>
        await new OnnxGenerationEngineLoader().LoadAsync(new EngineOptions { ModelPath = path, Threads = 1 }, CancellationToken.None);

    /// <summary>A copy of the fixture's model directory for a test to change.</summary>
    private TempDirectory CopyOfModel(string name)
    {
        var copy = new TempDirectory(name);
        foreach (var file in Directory.GetFiles(model.ModelPath))
        {
            File.Copy(file, copy.Combine(Path.GetFileName(file)));
        }

        return copy;
    }

    private static EngineRequest Greedy(string prompt, int maxTokens) => EngineRequest.FromPrompt(prompt, maxTokens) with { Sampling = new SamplingRequest { Temperature = 0 } };
}
