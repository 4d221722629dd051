namespace Appliance.Gpio;

/// <summary>
/// Turns per-line settings into a struct gpio_v2_line_config: the first line's flags become the default, lines that
/// differ get a flags attribute, each distinct debounce period an attribute, and the outputs' initial values one
/// attribute. Settings the kernel would reject are refused here with a message naming the line.
/// </summary>
internal static class GpioLineConfigEncoder
{
    /// <summary>Checks the offsets of a request: 1 to 64 of them, all distinct.</summary>
    public static void CheckOffsets(IReadOnlyList<GpioLineConfig> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count is 0 or > GpioUapi.LinesMax)
        {
            throw new ArgumentException($"A line request holds 1 to {GpioUapi.LinesMax} lines, got {lines.Count}.", nameof(lines));
        }

        var seen = new HashSet<uint>();
        foreach (var line in lines)
        {
            if (!seen.Add(line.Offset))
            {
                throw new ArgumentException($"Line {line.Offset} appears twice in one request.", nameof(lines));
            }
        }
    }

    /// <summary>The request flags for one line's settings.</summary>
    public static GpioLineFlags FlagsOf(GpioLineConfig line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var settings = line.Settings;
        var input = settings.Direction == GpioDirection.Input;
        var flags = input ? GpioLineFlags.Input : GpioLineFlags.Output;
        if (settings.ActiveLow)
        {
            flags |= GpioLineFlags.ActiveLow;
        }

        flags |= settings.Bias switch
        {
            GpioBias.AsIs => GpioLineFlags.None,
            GpioBias.Disabled => GpioLineFlags.BiasDisabled,
            GpioBias.PullUp => GpioLineFlags.BiasPullUp,
            GpioBias.PullDown => GpioLineFlags.BiasPullDown,
            _ => throw Invalid(line, $"bias {settings.Bias} is not one of AsIs, Disabled, PullUp, PullDown"),
        };
        flags |= settings.Drive switch
        {
            GpioDrive.PushPull => GpioLineFlags.None,
            GpioDrive.OpenDrain when !input => GpioLineFlags.OpenDrain,
            GpioDrive.OpenSource when !input => GpioLineFlags.OpenSource,
            GpioDrive.OpenDrain or GpioDrive.OpenSource => throw Invalid(line, $"drive {settings.Drive} needs an output line"),
            _ => throw Invalid(line, $"drive {settings.Drive} is not one of PushPull, OpenDrain, OpenSource"),
        };
        flags |= settings.EdgeDetection switch
        {
            GpioEdgeDetection.None => GpioLineFlags.None,
            _ when !input => throw Invalid(line, $"edge detection {settings.EdgeDetection} needs an input line"),
            GpioEdgeDetection.Rising => GpioLineFlags.EdgeRising,
            GpioEdgeDetection.Falling => GpioLineFlags.EdgeFalling,
            GpioEdgeDetection.Both => GpioLineFlags.EdgeRising | GpioLineFlags.EdgeFalling,
            _ => throw Invalid(line, $"edge detection {settings.EdgeDetection} is not one of None, Rising, Falling, Both"),
        };
        if (settings.DebouncePeriod != TimeSpan.Zero && !input)
        {
            throw Invalid(line, "a debounce period needs an input line");
        }

        return flags;
    }

    /// <summary>The debounce period in whole microseconds (rounded up), as the kernel takes it; 0 for none.</summary>
    public static uint DebounceMicroseconds(GpioLineConfig line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var period = line.Settings.DebouncePeriod;
        if (period < TimeSpan.Zero || period.TotalMicroseconds > uint.MaxValue)
        {
            throw Invalid(line, $"debounce period {period} is outside 0 to {uint.MaxValue} µs");
        }

        return (uint)Math.Ceiling(period.TotalMicroseconds);
    }

    /// <summary>Fills <paramref name="config"/> for <paramref name="lines"/>; bit i of every mask is lines[i].</summary>
    public static void Encode(IReadOnlyList<GpioLineConfig> lines, ref GpioLineConfigNative config)
    {
        CheckOffsets(lines);
        config = default;
        var attributes = new List<GpioLineConfigAttributeNative>();
        var flags = lines.Select(FlagsOf).ToArray();
        config.Flags = (ulong)flags[0];

        foreach (var distinct in flags.Distinct().Where(f => f != flags[0]))
        {
            attributes.Add(Attribute(GpioUapi.AttributeFlags, (ulong)distinct, MaskOf(flags, f => f == distinct)));
        }

        var debounce = lines.Select(DebounceMicroseconds).ToArray();
        foreach (var period in debounce.Distinct().Where(p => p != 0))
        {
            var attribute = Attribute(GpioUapi.AttributeDebounce, 0, MaskOf(debounce, p => p == period));
            attribute.Attribute.DebouncePeriodMicroseconds = period;
            attributes.Add(attribute);
        }

        var outputs = MaskOf(flags, f => (f & GpioLineFlags.Output) != 0);
        if (outputs != 0)
        {
            var values = MaskOf(lines, line => line.Settings.Direction == GpioDirection.Output && line.Settings.OutputValue);
            attributes.Add(Attribute(GpioUapi.AttributeOutputValues, values, outputs));
        }

        if (attributes.Count > GpioUapi.LineAttributesMax)
        {
            throw new ArgumentException(
                $"These {lines.Count} lines need {attributes.Count} configuration attributes (distinct flags, debounce periods, output values); " +
                $"the kernel takes at most {GpioUapi.LineAttributesMax}: split them over several requests.",
                nameof(lines));
        }

        config.AttributeCount = (uint)attributes.Count;
        for (var i = 0; i < attributes.Count; i++)
        {
            config.Attributes[i] = attributes[i];
        }
    }

    private static GpioLineConfigAttributeNative Attribute(uint id, ulong value, ulong mask) =>
        new() { Attribute = new GpioLineAttributeNative { Id = id, Values = value }, Mask = mask };

    private static ulong MaskOf<T>(IReadOnlyList<T> items, Func<T, bool> selected)
    {
        ulong mask = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (selected(items[i]))
            {
                mask |= 1UL << i;
            }
        }

        return mask;
    }

    private static ArgumentException Invalid(GpioLineConfig line, string problem) =>
        new($"Line {line.Offset}: {problem}.", nameof(line));
}
