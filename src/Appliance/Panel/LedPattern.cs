namespace Appliance.Panel;

/// <summary>
/// How one LED behaves over time: constantly off or on, or a cycle of on/off steps that repeats from the moment the
/// pattern was shown. Pure: the level and the next change are functions of the time elapsed.
/// </summary>
public sealed class LedPattern
{
    private readonly LedStep[] _steps;
    private readonly bool _constantLevel;
    private readonly long _periodTicks;

    private LedPattern(string name, bool constantLevel, LedStep[] steps)
    {
        Name = name;
        _constantLevel = constantLevel;
        _steps = steps;
        _periodTicks = steps.Sum(step => step.Duration.Ticks);
    }

    public static LedPattern Off { get; } = new("off", false, []);

    public static LedPattern Solid { get; } = new("solid", true, []);

    /// <summary>Starting (the service is coming up): 4 Hz.</summary>
    public static LedPattern FastBlink { get; } = Cycle("fast blink", On(125), Dark(125));

    /// <summary>Loading a model: 1 Hz.</summary>
    public static LedPattern SlowBlink { get; } = Cycle("slow blink", On(500), Dark(500));

    /// <summary>Alive but not serving (offline): two short pulses every two seconds.</summary>
    public static LedPattern Heartbeat { get; } = Cycle("heartbeat", On(100), Dark(150), On(100), Dark(1650));

    public string Name { get; }

    /// <summary>The repeating steps; empty for a constant pattern.</summary>
    public IReadOnlyList<LedStep> Steps => _steps;

    /// <summary>
    /// <paramref name="code"/> blinks (250 ms on, 250 ms off), then dark until 1.5 s after the last blink ended its
    /// on-time, then again: a code a person can count.
    /// </summary>
    public static LedPattern ErrorCode(int code)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(code, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(code, 9);
        var steps = new List<LedStep>();
        for (var i = 0; i < code; i++)
        {
            steps.Add(On(250));
            steps.Add(Dark(i == code - 1 ? 1500 : 250));
        }

        return new LedPattern($"error code {code}", false, [.. steps]);
    }

    public bool IsOn(TimeSpan elapsed)
    {
        if (_steps.Length == 0)
        {
            return _constantLevel;
        }

        var t = PositionInCycle(elapsed);
        foreach (var step in _steps)
        {
            if (t < step.Duration.Ticks)
            {
                return step.On;
            }

            t -= step.Duration.Ticks;
        }

        return _steps[^1].On;
    }

    /// <summary>The elapsed time (after <paramref name="elapsed"/>) at which the level next changes; null when it never does.</summary>
    public TimeSpan? NextChange(TimeSpan elapsed)
    {
        if (_steps.Length == 0)
        {
            return null;
        }

        var level = IsOn(elapsed);
        var boundary = elapsed.Ticks - PositionInCycle(elapsed);
        // Two cycles always reach a change: the steps alternate.
        for (var i = 0; i < 2 * _steps.Length; i++)
        {
            var step = _steps[i % _steps.Length];
            boundary += step.Duration.Ticks;
            if (boundary > elapsed.Ticks && _steps[(i + 1) % _steps.Length].On != level)
            {
                return TimeSpan.FromTicks(boundary);
            }
        }

        throw new InvalidOperationException($"LED pattern '{Name}' never changes level.");
    }

    public override string ToString() => Name;

    private long PositionInCycle(TimeSpan elapsed) => Math.Max(0, elapsed.Ticks) % _periodTicks;

    private static LedPattern Cycle(string name, params LedStep[] steps) => new(name, false, steps);

    private static LedStep On(int milliseconds) => new(true, TimeSpan.FromMilliseconds(milliseconds));

    private static LedStep Dark(int milliseconds) => new(false, TimeSpan.FromMilliseconds(milliseconds));
}

/// <summary>One step of an <see cref="LedPattern"/>.</summary>
public readonly record struct LedStep(bool On, TimeSpan Duration);
