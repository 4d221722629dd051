using Appliance.Panel;

namespace Appliance.Tests.Panel;

public sealed class ButtonDecoderTests
{
    private readonly List<(double AtMs, ButtonPressKind Kind)> _presses = [];
    private ButtonDecoder _decoder;
    private TimeSpan _now;

    public ButtonDecoderTests() => _decoder = Decoder(initiallyPressed: false);

    [Fact]
    public void A_clean_press_counts_once_it_has_held_for_the_debounce_period()
    {
        Edge(true, 0);
        Assert.Equal(30, _decoder.NextDeadline!.Value.TotalMilliseconds);

        At(29);
        Assert.False(_decoder.IsPressed);
        At(30);
        Assert.True(_decoder.IsPressed);
        Assert.Equal(2000, _decoder.NextDeadline!.Value.TotalMilliseconds);
    }

    [Fact]
    public void A_short_press_is_reported_at_the_debounced_release()
    {
        Edge(true, 0);
        Edge(false, 400);
        At(429);
        Assert.Empty(_presses);

        At(430);

        Assert.Equal([(430, ButtonPressKind.ShortPress)], _presses);
        Assert.Null(_decoder.NextDeadline);
    }

    [Fact]
    public void Bounces_on_press_and_release_make_one_short_press()
    {
        Edge(true, 0);
        Edge(false, 1);
        Edge(true, 3);
        Edge(false, 6);
        Edge(true, 8);
        At(100);
        Edge(false, 700);
        Edge(true, 701);
        Edge(false, 704);
        At(1000);

        Assert.Equal([(734, ButtonPressKind.ShortPress)], _presses);
    }

    [Fact]
    public void A_glitch_shorter_than_the_debounce_period_is_no_press()
    {
        Edge(true, 100);
        Edge(false, 110);
        At(5000);

        Assert.Empty(_presses);
        Assert.False(_decoder.IsPressed);
    }

    [Fact]
    public void A_long_press_is_reported_when_the_long_press_time_is_reached_and_its_release_adds_nothing()
    {
        Edge(true, 0);
        At(1999);
        Assert.Empty(_presses);

        At(2000);
        Assert.Equal([(2000, ButtonPressKind.LongPress)], _presses);

        Edge(false, 5000);
        At(6000);
        Assert.Single(_presses);
    }

    [Fact]
    public void The_hold_is_timed_from_the_first_bounce_so_bounces_do_not_stretch_it()
    {
        // Press bounces from 0 to 9 ms; the hold reaches 2 s at 2000 ms, not 2009 ms.
        Edge(true, 0);
        Edge(false, 4);
        Edge(true, 9);
        At(1999);
        Assert.Empty(_presses);
        At(2000);

        Assert.Equal([(2000, ButtonPressKind.LongPress)], _presses);
    }

    [Fact]
    public void A_release_that_starts_before_the_long_press_time_is_a_short_press_even_if_it_settles_after()
    {
        Edge(true, 0);
        Edge(false, 1990);
        At(2019);
        Assert.Empty(_presses);

        At(2020);

        Assert.Equal([(2020, ButtonPressKind.ShortPress)], _presses);
    }

    [Fact]
    public void A_glitch_pending_at_the_long_press_time_holds_the_long_press_until_the_level_is_back()
    {
        Edge(true, 0);
        Edge(false, 1990);
        At(2005);
        Assert.Empty(_presses);

        Edge(true, 2010);

        Assert.Equal([(2010, ButtonPressKind.LongPress)], _presses);
        Assert.True(_decoder.IsPressed);
    }

    [Fact]
    public void Edges_read_late_still_make_exactly_one_press()
    {
        // The reader was held up: press and release arrive together, 3 s apart by their timestamps.
        Edge(true, 0);
        Edge(false, 3000);
        At(3030);

        Assert.Equal([(3000, ButtonPressKind.LongPress)], _presses);
    }

    [Fact]
    public void A_repeated_level_from_a_lost_edge_changes_nothing()
    {
        Edge(true, 0);
        Edge(true, 20);

        Assert.Equal(30, _decoder.NextDeadline!.Value.TotalMilliseconds);
    }

    [Fact]
    public void A_button_held_when_the_panel_starts_counts_only_from_its_next_press()
    {
        _decoder = Decoder(initiallyPressed: true);
        Assert.True(_decoder.IsPressed);
        At(5000);
        Edge(false, 5100);
        At(5200);
        Assert.Empty(_presses);

        Edge(true, 6000);
        Edge(false, 6100);
        At(6200);

        Assert.Equal([(6130, ButtonPressKind.ShortPress)], _presses);
    }

    [Fact]
    public void Without_debouncing_every_edge_counts_at_once()
    {
        _decoder = new ButtonDecoder(TimeSpan.Zero, TimeSpan.FromSeconds(2), false, kind => _presses.Add((_now.TotalMilliseconds, kind)));

        Edge(true, 0);
        Assert.True(_decoder.IsPressed);
        Edge(false, 10);

        Assert.Equal([(10, ButtonPressKind.ShortPress)], _presses);
    }

    [Fact]
    public void Time_running_backwards_is_ignored()
    {
        Edge(true, 100);
        Edge(false, 50);
        At(200);

        Assert.Empty(_presses);
        Assert.False(_decoder.IsPressed);
    }

    [Fact]
    public void The_long_press_time_must_exceed_the_debounce_period() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ButtonDecoder(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), false, _ => { }));

    private ButtonDecoder Decoder(bool initiallyPressed) =>
        new(TimeSpan.FromMilliseconds(30), TimeSpan.FromSeconds(2), initiallyPressed, kind => _presses.Add((_now.TotalMilliseconds, kind)));

    private void Edge(bool pressed, double ms)
    {
        _now = TimeSpan.FromMilliseconds(Math.Max(ms, _now.TotalMilliseconds));
        _decoder.Edge(pressed, TimeSpan.FromMilliseconds(ms));
    }

    /// <summary>Advances to <paramref name="ms"/> by the decoder's own deadlines, recording each press at its deadline.</summary>
    private void At(double ms)
    {
        var target = TimeSpan.FromMilliseconds(ms);
        while (_decoder.NextDeadline is { } due && due <= target)
        {
            _now = due > _now ? due : _now;
            _decoder.Advance(_now);
        }

        _now = target > _now ? target : _now;
        _decoder.Advance(_now);
    }
}
