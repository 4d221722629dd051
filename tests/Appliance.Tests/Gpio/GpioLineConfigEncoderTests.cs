using Appliance.Gpio;

namespace Appliance.Tests.Gpio;

public sealed class GpioLineConfigEncoderTests
{
    private static readonly GpioLineSettings Button = new()
    {
        Direction = GpioDirection.Input,
        ActiveLow = true,
        Bias = GpioBias.PullUp,
        EdgeDetection = GpioEdgeDetection.Both,
        DebouncePeriod = TimeSpan.FromMilliseconds(30),
    };

    [Fact]
    public void A_debounced_button_is_an_active_low_pulled_up_input_with_both_edges_and_one_debounce_attribute()
    {
        GpioLineConfigNative config = default;

        GpioLineConfigEncoder.Encode([new GpioLineConfig(5, Button)], ref config);

        Assert.Equal(
            GpioLineFlags.Input | GpioLineFlags.ActiveLow | GpioLineFlags.BiasPullUp | GpioLineFlags.EdgeRising | GpioLineFlags.EdgeFalling,
            (GpioLineFlags)config.Flags);
        Assert.Equal(1u, config.AttributeCount);
        Assert.Equal(3u, config.Attributes[0].Attribute.Id);
        Assert.Equal(30_000u, config.Attributes[0].Attribute.DebouncePeriodMicroseconds);
        Assert.Equal(1UL, config.Attributes[0].Mask);
    }

    [Fact]
    public void Mixed_lines_get_the_first_lines_flags_as_default_and_attributes_for_the_rest()
    {
        var ledOn = new GpioLineSettings { Direction = GpioDirection.Output, OutputValue = true };
        var ledOff = new GpioLineSettings { Direction = GpioDirection.Output, Drive = GpioDrive.OpenDrain };
        GpioLineConfigNative config = default;

        GpioLineConfigEncoder.Encode([new GpioLineConfig(17, ledOn), new GpioLineConfig(27, ledOff), new GpioLineConfig(5, Button)], ref config);

        Assert.Equal(GpioLineFlags.Output, (GpioLineFlags)config.Flags);
        Assert.Equal(4u, config.AttributeCount);
        // Line 27's open-drain flags, then line 5's input flags, each as a flags attribute masking its line.
        Assert.Equal((1u, (ulong)(GpioLineFlags.Output | GpioLineFlags.OpenDrain), 0b010UL), Flat(config.Attributes[0]));
        Assert.Equal(
            (1u, (ulong)(GpioLineFlags.Input | GpioLineFlags.ActiveLow | GpioLineFlags.BiasPullUp | GpioLineFlags.EdgeRising | GpioLineFlags.EdgeFalling), 0b100UL),
            Flat(config.Attributes[1]));
        Assert.Equal((3u, 30_000UL, 0b100UL), Flat(config.Attributes[2]));
        // Output values: line 17 on, line 27 off, over the two output lines.
        Assert.Equal((2u, 0b001UL, 0b011UL), Flat(config.Attributes[3]));
    }

    [Fact]
    public void Debounce_periods_round_up_to_whole_microseconds()
    {
        var line = new GpioLineConfig(1, Button with { DebouncePeriod = TimeSpan.FromTicks(15) });

        Assert.Equal(2u, GpioLineConfigEncoder.DebounceMicroseconds(line));
    }

    [Theory]
    [InlineData(GpioDirection.Output, GpioEdgeDetection.Both, GpioDrive.PushPull, 0, "edge detection Both needs an input line")]
    [InlineData(GpioDirection.Input, GpioEdgeDetection.None, GpioDrive.OpenDrain, 0, "drive OpenDrain needs an output line")]
    [InlineData(GpioDirection.Output, GpioEdgeDetection.None, GpioDrive.PushPull, 10, "a debounce period needs an input line")]
    public void Settings_the_kernel_would_refuse_are_refused_naming_the_line(
        GpioDirection direction, GpioEdgeDetection edges, GpioDrive drive, int debounceMs, string problem)
    {
        var settings = new GpioLineSettings { Direction = direction, EdgeDetection = edges, Drive = drive, DebouncePeriod = TimeSpan.FromMilliseconds(debounceMs) };
        GpioLineConfigNative config = default;

        var error = Assert.Throws<ArgumentException>(() => GpioLineConfigEncoder.Encode([new GpioLineConfig(9, settings)], ref config));

        Assert.StartsWith($"Line 9: {problem}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_need_1_to_64_distinct_lines()
    {
        GpioLineConfigNative config = default;
        var input = new GpioLineSettings();

        Assert.Contains("1 to 64 lines, got 0", Assert.Throws<ArgumentException>(() => GpioLineConfigEncoder.Encode([], ref config)).Message, StringComparison.Ordinal);
        var tooMany = Enumerable.Range(0, 65).Select(i => new GpioLineConfig((uint)i, input)).ToArray();
        Assert.Contains("got 65", Assert.Throws<ArgumentException>(() => GpioLineConfigEncoder.Encode(tooMany, ref config)).Message, StringComparison.Ordinal);
        Assert.Contains(
            "Line 3 appears twice",
            Assert.Throws<ArgumentException>(() => GpioLineConfigEncoder.Encode([new(3, input), new(3, input)], ref config)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_ten_attributes_are_refused_with_a_way_out()
    {
        var lines = Enumerable.Range(0, 11)
            .Select(i => new GpioLineConfig((uint)i, Button with { DebouncePeriod = TimeSpan.FromMilliseconds(i + 1) }))
            .ToArray();
        GpioLineConfigNative config = default;

        var error = Assert.Throws<ArgumentException>(() => GpioLineConfigEncoder.Encode(lines, ref config));

        Assert.Contains("need 11 configuration attributes", error.Message, StringComparison.Ordinal);
        Assert.Contains("split them over several requests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public unsafe void Consumer_labels_longer_than_31_bytes_are_refused()
    {
        var field = stackalloc byte[32];
        NativeText.Write("appliance", field, 32, "consumer label");
        Assert.Equal("appliance", NativeText.Read(field, 32));

        var error = Record.Exception(() => WriteLabel(new string('x', 32)));

        Assert.Contains("at most 31 UTF-8 bytes", Assert.IsType<ArgumentException>(error).Message, StringComparison.Ordinal);
    }

    private static unsafe void WriteLabel(string label)
    {
        var field = stackalloc byte[32];
        NativeText.Write(label, field, 32, "consumer label");
    }

    private static (uint Id, ulong Value, ulong Mask) Flat(GpioLineConfigAttributeNative attribute) =>
        (attribute.Attribute.Id, attribute.Attribute.Values, attribute.Mask);
}
