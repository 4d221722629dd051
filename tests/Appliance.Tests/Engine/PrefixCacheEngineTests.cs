using System.Globalization;
using System.Text;
using Appliance.Contract;
using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Templates;
using Xunit.Abstractions;

namespace Appliance.Tests.Engine;

/// <summary>Issue 17's acceptance test: a long shared system prompt is prefilled once, and replies equal uncached ones.</summary>
public sealed class PrefixCacheEngineTests(S135Int4Model model, ITestOutputHelper output) : IClassFixture<S135Int4Model>
{
    [Fact]
    public async Task A_repeated_1500_token_system_prompt_is_prefilled_once_and_replies_equal_the_uncached_ones()
    {
        var system = SystemPrompt();
        using var cached = await Load(prefixCacheSlots: 1);
        using var uncached = await Load(prefixCacheSlots: 0);
        // A short unrelated request first, so neither engine's first-run costs land in the measured requests.
        await cached.GenerateAsync(Request("You are brief.", "hi"), null, CancellationToken.None);
        await uncached.GenerateAsync(Request("You are brief.", "hi"), null, CancellationToken.None);

        var first = await cached.GenerateAsync(Request(system, "Turn on the kitchen light."), null, CancellationToken.None);
        var second = await cached.GenerateAsync(Request(system, "Is the garage door open?"), null, CancellationToken.None);
        var reference = await uncached.GenerateAsync(Request(system, "Is the garage door open?"), null, CancellationToken.None);

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"prompt {second.Usage.PromptTokens} tokens, {second.Usage.CachedPromptTokens} cached; TTFT first {first.Timings.TimeToFirstTokenMs:F1} ms, second {second.Timings.TimeToFirstTokenMs:F1} ms, uncached {reference.Timings.TimeToFirstTokenMs:F1} ms"));
        Assert.InRange(first.Usage.PromptTokens, 1400, 1700);
        Assert.True(first.Usage.CachedPromptTokens < 100, $"{first.Usage.CachedPromptTokens} tokens cached from the warm-up");
        Assert.True(second.Usage.CachedPromptTokens > 1400, $"only {second.Usage.CachedPromptTokens} tokens cached");
        Assert.Equal(0, reference.Usage.CachedPromptTokens);
        Assert.Equal(reference.Text, second.Text);
        Assert.Equal(reference.Usage.CompletionTokens, second.Usage.CompletionTokens);
        Assert.True(
            first.Timings.TimeToFirstTokenMs >= 5 * second.Timings.TimeToFirstTokenMs,
            $"TTFT {first.Timings.TimeToFirstTokenMs} ms then {second.Timings.TimeToFirstTokenMs} ms");
    }

    [Fact]
    public void Prefix_cache_slots_outside_the_bound_are_a_clear_option_error()
    {
        Assert.Contains(
            $"Engine:PrefixCacheSlots must be in [0, {DecoderSessionOptions.MaxPrefixCacheSlots}]",
            Assert.Single(new EngineOptions { ModelPath = model.Path, PrefixCacheSlots = -1 }.Validate()),
            StringComparison.Ordinal);
        Assert.Single(new EngineOptions { ModelPath = model.Path, PrefixCacheSlots = DecoderSessionOptions.MaxPrefixCacheSlots + 1 }.Validate());
        Assert.Empty(new EngineOptions { ModelPath = model.Path }.Validate());
        Assert.Equal(1, new EngineOptions().PrefixCacheSlots);
    }

    // Home Assistant's shape: instructions followed by one line per exposed entity.
    private static string SystemPrompt()
    {
        var text = new StringBuilder("You are a voice assistant for a smart home. Answer briefly. The exposed entities are:\n");
        for (var i = 0; i < 75; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"- light.room_{i}: Room {i} ceiling light, state off, brightness 0\n");
        }

        return text.ToString();
    }

    private static EngineRequest Request(string system, string user) => new()
    {
        Messages = [new ChatMessage("system", system), new ChatMessage("user", user)],
        MaxTokens = 8,
        Sampling = new SamplingRequest { Temperature = 0 },
        Stop = [],
    };

    private async Task<IGenerationEngine> Load(int prefixCacheSlots) =>
        await new OnnxGenerationEngineLoader().LoadAsync(
            new EngineOptions { ModelPath = model.Path, Threads = 2, PrefixCacheSlots = prefixCacheSlots }, CancellationToken.None);
}
