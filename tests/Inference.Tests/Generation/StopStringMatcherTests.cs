using Appliance.Inference.Generation;

namespace Appliance.Inference.Tests.Generation;

public sealed class StopStringMatcherTests
{
    [Fact]
    public void A_stop_string_split_across_tokens_ends_the_stream_and_is_never_emitted()
    {
        var matcher = new StopStringMatcher(["</s>"]);

        var shown = Run(matcher, "Hello", " wor", "ld<", "/", "s", ">tail");

        Assert.Equal(["Hello", " wor", "ld", "", "", ""], shown);
        Assert.True(matcher.IsStopped);
        Assert.Equal("</s>", matcher.MatchedStop);
        Assert.True(matcher.Finish().IsEmpty);
    }

    [Fact]
    public void Text_after_the_stop_in_the_same_delta_is_dropped()
    {
        var matcher = new StopStringMatcher(["STOP"]);

        Assert.Equal("ab", matcher.Push("abSTOPcd").ToString());
        Assert.True(matcher.Push("more").IsEmpty);
    }

    [Fact]
    public void A_partial_match_is_held_only_while_it_can_still_match_then_released()
    {
        var matcher = new StopStringMatcher(["<|end|>"]);

        var shown = Run(matcher, "a <|e", "n", "x and more");

        Assert.Equal(["a ", "", "<|enx and more"], shown);
        Assert.False(matcher.IsStopped);
    }

    [Fact]
    public void Held_text_that_never_completes_is_released_by_finish()
    {
        var matcher = new StopStringMatcher(["###"]);

        Assert.Equal("end", matcher.Push("end##").ToString());
        Assert.Equal("##", matcher.Finish().ToString());
    }

    [Fact]
    public void A_held_tail_can_restart_inside_itself()
    {
        // "aaa" is no prefix of "aab", but its tail "aa" is: one "a" is released, "aa" held, and "b" completes the stop.
        var matcher = new StopStringMatcher(["aab"]);

        var shown = Run(matcher, "xa", "a", "a", "b");

        Assert.Equal(["x", "", "a", ""], shown);
        Assert.Equal("aab", matcher.MatchedStop);
    }

    [Fact]
    public void The_earliest_of_several_stop_strings_wins()
    {
        var matcher = new StopStringMatcher(["world", "lo w"]);

        Assert.Equal("hel", matcher.Push("hello world").ToString());
        Assert.Equal("lo w", matcher.MatchedStop);
    }

    [Fact]
    public void Without_stop_strings_text_passes_straight_through()
    {
        var matcher = new StopStringMatcher([]);

        Assert.Equal("anything <", matcher.Push("anything <").ToString());
        Assert.True(matcher.Finish().IsEmpty);
    }

    [Fact]
    public void Deltas_longer_than_the_buffers_are_handled_and_reset_starts_over()
    {
        var matcher = new StopStringMatcher(["END"]);
        var longText = new string('x', 1000);

        Assert.Equal(longText, matcher.Push(longText + "EN").ToString());
        Assert.Equal("", matcher.Push("D").ToString());
        matcher.Reset();

        Assert.False(matcher.IsStopped);
        Assert.Equal("again", matcher.Push("again").ToString());
    }

    [Fact]
    public void Empty_stop_strings_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new StopStringMatcher(["ok", ""]));
    }

    [Fact]
    public void Pushing_allocates_nothing_once_warm()
    {
        var matcher = new StopStringMatcher(["<|im_end|>", "\n\nUser:"]);
        string[] deltas = ["Hello", " <|im", "_en", "d", "\n\n", "Use", "r", " the", " end"];
        foreach (var delta in deltas)
        {
            matcher.Push(delta);
        }

        matcher.Reset();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 0; round < 5; round++)
        {
            foreach (var delta in deltas)
            {
                matcher.Push(delta);
            }

            matcher.Finish();
            matcher.Reset();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static string[] Run(StopStringMatcher matcher, params string[] deltas) =>
        [.. deltas.Select(delta => matcher.Push(delta).ToString())];
}
