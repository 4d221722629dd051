using Appliance.State;
using Appliance.TestSupport;

namespace Appliance.Tests.State;

public sealed class GenerationBoardTests
{
    [Fact]
    public void The_rate_counts_tokens_from_the_first_on_the_clock_and_an_answer_ends_it()
    {
        var clock = new ManualTimeProvider();
        var board = new GenerationBoard(clock);
        var seen = new List<GenerationProgress>();
        board.Changed += (_, progress) => seen.Add(progress);

        board.TokenGenerated();
        clock.Advance(TimeSpan.FromMilliseconds(500));
        board.TokenGenerated();
        clock.Advance(TimeSpan.FromMilliseconds(500));
        // Still 2 tokens/s: no change, no event.
        board.TokenGenerated();
        board.Answered("done");

        Assert.Equal(
            [new(true, 0, null), new(true, 2, null), new(false, 0, "done")],
            seen);
        Assert.Equal(new GenerationProgress(false, 0, "done"), board.Current);
    }

    [Fact]
    public void The_next_reply_measures_afresh()
    {
        var clock = new ManualTimeProvider();
        var board = new GenerationBoard(clock);
        board.TokenGenerated();
        clock.Advance(TimeSpan.FromSeconds(10));
        board.TokenGenerated();
        board.Answered("first");

        clock.Advance(TimeSpan.FromSeconds(60));
        board.TokenGenerated();
        clock.Advance(TimeSpan.FromMilliseconds(50));
        board.TokenGenerated();

        Assert.Equal(new GenerationProgress(true, 20, "first"), board.Current);
    }
}
