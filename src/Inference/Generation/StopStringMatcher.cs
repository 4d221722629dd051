namespace Appliance.Inference.Generation;

/// <summary>
/// Watches streamed text for stop strings that may be split across tokens. <see cref="Push"/> returns the text that
/// can no longer be part of a stop string; only a tail that could still begin one is held back, and released as soon
/// as it stops matching. A completed stop string ends the stream and is never returned, nor is anything after it.
/// Reuses two buffers, so pushing allocates nothing once they have grown to the longest delta. One instance per stream.
/// </summary>
public sealed class StopStringMatcher
{
    private readonly string[] _stops;
    private readonly int _longestStop;
    private char[] _text;
    private char[] _spare;
    private int _heldLength;

    public StopStringMatcher(IEnumerable<string> stopStrings)
    {
        ArgumentNullException.ThrowIfNull(stopStrings);
        _stops = [.. stopStrings];
        foreach (var stop in _stops)
        {
            if (string.IsNullOrEmpty(stop))
            {
                throw new ArgumentException("A stop string must not be empty.", nameof(stopStrings));
            }

            _longestStop = Math.Max(_longestStop, stop.Length);
        }

        _text = new char[Math.Max(64, _longestStop * 2)];
        _spare = new char[_text.Length];
    }

    public IReadOnlyList<string> StopStrings => _stops;

    /// <summary>The stop string that ended the stream, or null while it goes on.</summary>
    public string? MatchedStop { get; private set; }

    public bool IsStopped => MatchedStop is not null;

    /// <summary>
    /// Adds the next piece of text; returns what can be shown now (valid until the next call). Once a stop string
    /// completes, returns the text before it and then nothing.
    /// </summary>
    public ReadOnlySpan<char> Push(ReadOnlySpan<char> delta)
    {
        if (IsStopped)
        {
            return [];
        }

        if (_stops.Length == 0)
        {
            return delta;
        }

        var length = _heldLength + delta.Length;
        if (length > _text.Length)
        {
            Grow(length);
        }

        delta.CopyTo(_text.AsSpan(_heldLength));
        var text = _text.AsSpan(0, length);
        var stopAt = FindEarliestStop(text);
        if (stopAt >= 0)
        {
            _heldLength = 0;
            return text[..stopAt];
        }

        // Hold the longest tail that is a proper prefix of a stop string; it moves to the spare buffer so the span
        // returned now stays intact until the next call.
        var held = LongestTailStartingAStop(text);
        text[^held..].CopyTo(_spare);
        (_text, _spare) = (_spare, _text);
        _heldLength = held;
        return _spare.AsSpan(0, length - held);
    }

    /// <summary>Ends the stream: returns held text that never became a stop string (nothing after a stop).</summary>
    public ReadOnlySpan<char> Finish()
    {
        var held = IsStopped ? 0 : _heldLength;
        _heldLength = 0;
        return _text.AsSpan(0, held);
    }

    /// <summary>Starts a new stream.</summary>
    public void Reset()
    {
        _heldLength = 0;
        MatchedStop = null;
    }

    private int FindEarliestStop(ReadOnlySpan<char> text)
    {
        var earliest = -1;
        foreach (var stop in _stops)
        {
            var at = text.IndexOf(stop.AsSpan(), StringComparison.Ordinal);
            if (at >= 0 && (earliest < 0 || at < earliest))
            {
                earliest = at;
                MatchedStop = stop;
            }
        }

        return earliest;
    }

    private int LongestTailStartingAStop(ReadOnlySpan<char> text)
    {
        for (var tail = Math.Min(text.Length, _longestStop - 1); tail > 0; tail--)
        {
            var suffix = text[^tail..];
            foreach (var stop in _stops)
            {
                if (stop.Length > tail && stop.AsSpan().StartsWith(suffix, StringComparison.Ordinal))
                {
                    return tail;
                }
            }
        }

        return 0;
    }

    private void Grow(int length)
    {
        var size = Math.Max(length, _text.Length * 2);
        var text = new char[size];
        _text.AsSpan(0, _heldLength).CopyTo(text);
        _text = text;
        _spare = new char[size];
    }
}
