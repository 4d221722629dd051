using System.Runtime.InteropServices;
using Appliance.Gpio;
using Appliance.TestSupport;

namespace Appliance.Tests.Gpio;

/// <summary>
/// The ioctl driver's system-call paths that need no GPIO hardware: opening, ioctl errors (on /dev/null, which answers
/// every ioctl with ENOTTY), and the event stream — poll, read, decode, cancellation — over a pipe carrying
/// struct gpio_v2_line_event records.
/// </summary>
public sealed class GpioCharDevTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Opening_a_missing_chip_names_it_with_ENOENT_and_how_to_list_chips()
    {
        var error = Assert.Throws<GpioException>(() => GpioCharDevChip.Open("/dev/gpiochip99"));

        Assert.Equal(Errno.NoSuchFile, error.Errno);
        Assert.StartsWith("GPIO chip /dev/gpiochip99: open failed: No such file or directory (ENOENT)", error.Message, StringComparison.Ordinal);
        Assert.Contains("ls /dev/gpiochip*", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_gpio_chip_gives_ENOTTY_and_says_so()
    {
        var error = Assert.Throws<GpioException>(() => GpioCharDevChip.Open("/dev/null"));

        Assert.Equal(Errno.NotATypewriter, error.Errno);
        Assert.Equal(
            "GPIO chip /dev/null: reading chip info failed: Inappropriate ioctl for device (ENOTTY): this file is not a GPIO character device",
            error.Message);
    }

    [Fact]
    public void Value_and_configuration_ioctls_on_a_non_gpio_descriptor_raise_ENOTTY_naming_the_line()
    {
        using var request = new GpioCharDevLineRequest(OpenDevNull(), "test request on /dev/null", [3]);

        var get = Assert.Throws<GpioException>(() => request.GetValue(3));
        var set = Assert.Throws<GpioException>(() => request.SetValue(3, true));
        var reconfigure = Assert.Throws<GpioException>(() => request.Reconfigure([new GpioLineConfig(3, new GpioLineSettings())]));

        Assert.Equal("test request on /dev/null: reading line 3 failed: Inappropriate ioctl for device (ENOTTY): this file is not a GPIO line request", get.Message);
        Assert.Equal(Errno.NotATypewriter, set.Errno);
        Assert.Contains("setting line 3 active failed", set.Message, StringComparison.Ordinal);
        Assert.Contains("reconfiguring failed", reconfigure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_outside_the_request_are_refused_before_any_ioctl()
    {
        using var request = new GpioCharDevLineRequest(OpenDevNull(), "test request", [3]);

        Assert.Contains("line 4 is not part of this request", Assert.Throws<ArgumentException>(() => request.GetValue(4)).Message, StringComparison.Ordinal);
        Assert.Contains(
            "Reconfigure takes the requested lines (3), got 4",
            Assert.Throws<ArgumentException>(() => request.Reconfigure([new GpioLineConfig(4, new GpioLineSettings())])).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Edge_events_are_read_and_decoded_from_the_request_descriptor()
    {
        var (reader, writer) = Pipe();
        using var request = new GpioCharDevLineRequest(reader, "test pipe", [7]);
        using (writer)
        {
            Send(writer,
                new GpioLineEventNative { TimestampNs = 1_500_000_000, Id = 1, Offset = 7, SequenceNumber = 1, LineSequenceNumber = 1 },
                new GpioLineEventNative { TimestampNs = 1_530_000_100, Id = 2, Offset = 7, SequenceNumber = 2, LineSequenceNumber = 2 });
        }

        var events = new GpioEdgeEvent[4];
        var count = request.ReadEdgeEvents(events, CancellationToken.None);

        Assert.Equal(2, count);
        Assert.Equal(new GpioEdgeEvent(1_500_000_000, GpioEdgeKind.Rising, 7, 1, 1), events[0]);
        Assert.Equal(new GpioEdgeEvent(1_530_000_100, GpioEdgeKind.Falling, 7, 2, 2), events[1]);
        Assert.Equal(TimeSpan.FromTicks(15_300_001), events[1].Timestamp);
    }

    [Fact]
    public void A_destination_smaller_than_the_pending_events_gets_the_rest_on_the_next_read()
    {
        var (reader, writer) = Pipe();
        using var request = new GpioCharDevLineRequest(reader, "test pipe", [7]);
        using var _ = writer;
        Send(writer,
            new GpioLineEventNative { TimestampNs = 1, Id = 1, Offset = 7, SequenceNumber = 1 },
            new GpioLineEventNative { TimestampNs = 2, Id = 2, Offset = 7, SequenceNumber = 2 });
        var one = new GpioEdgeEvent[1];

        Assert.Equal(1, request.ReadEdgeEvents(one, CancellationToken.None));
        Assert.Equal(1u, one[0].SequenceNumber);
        Assert.Equal(1, request.ReadEdgeEvents(one, CancellationToken.None));
        Assert.Equal(2u, one[0].SequenceNumber);
    }

    [Fact]
    public async Task A_blocked_read_wakes_when_cancelled()
    {
        var (reader, writer) = Pipe();
        using var request = new GpioCharDevLineRequest(reader, "test pipe", [7]);
        using var _ = writer;
        using var cancellation = new CancellationTokenSource();
        var reading = Task.Factory.StartNew(
            () => request.ReadEdgeEvents(new GpioEdgeEvent[1], cancellation.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(Patience));
    }

    [Fact]
    public async Task Disposing_the_request_wakes_a_blocked_reader()
    {
        var (reader, writer) = Pipe();
        var request = new GpioCharDevLineRequest(reader, "test pipe", [7]);
        using var _ = writer;
        var reading = Task.Factory.StartNew(
            () => request.ReadEdgeEvents(new GpioEdgeEvent[1], CancellationToken.None), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        request.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => reading.WaitAsync(Patience));
    }

    [Fact]
    public void A_torn_event_is_reported_rather_than_misread()
    {
        var (reader, writer) = Pipe();
        using var request = new GpioCharDevLineRequest(reader, "test pipe", [7]);
        using (writer)
        {
            SendBytes(writer, new byte[10]);
        }

        var error = Assert.Throws<GpioException>(() => request.ReadEdgeEvents(new GpioEdgeEvent[1], CancellationToken.None));

        Assert.Equal("test pipe: reading edge events returned 10 bytes, not a whole number of 48-byte events", error.Message);
    }

    [Fact]
    public void An_event_with_an_unknown_id_is_reported()
    {
        var (reader, writer) = Pipe();
        using var request = new GpioCharDevLineRequest(reader, "test pipe", [7]);
        using (writer)
        {
            Send(writer, new GpioLineEventNative { Id = 9, Offset = 7 });
        }

        var error = Assert.Throws<GpioException>(() => request.ReadEdgeEvents(new GpioEdgeEvent[1], CancellationToken.None));

        Assert.Equal("test pipe: edge event with unknown id 9 on line 7", error.Message);
    }

    [Fact]
    public void A_stream_that_hangs_up_is_reported()
    {
        var (reader, writer) = Pipe();
        using var request = new GpioCharDevLineRequest(reader, "test pipe", [7]);
        writer.Dispose();

        var error = Assert.Throws<GpioException>(() => request.ReadEdgeEvents(new GpioEdgeEvent[1], CancellationToken.None));

        Assert.StartsWith("test pipe: the event stream failed (poll returned 0x10)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_readable_descriptor_at_end_of_file_is_reported()
    {
        using var request = new GpioCharDevLineRequest(OpenDevNull(), "test request on /dev/null", [7]);

        var error = Assert.Throws<GpioException>(() => request.ReadEdgeEvents(new GpioEdgeEvent[1], CancellationToken.None));

        Assert.Contains("returned 0 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("end of stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_provider_finds_chips_by_number_order_and_reports_missing_labels()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "gpiochip10", "gpiochip2", "gpiochipX", "other" })
        {
            File.WriteAllText(Path.Combine(dir.Path, name), "");
        }

        var provider = new LinuxGpioChipProvider(dir.Path);

        Assert.Equal([Path.Combine(dir.Path, "gpiochip2"), Path.Combine(dir.Path, "gpiochip10")], provider.ChipPaths());
        var error = Assert.Throws<GpioException>(() => provider.OpenChip("pinctrl-rp1"));
        Assert.StartsWith($"No GPIO chip labelled 'pinctrl-rp1' in {dir.Path}; found GPIO chip {Path.Combine(dir.Path, "gpiochip2")}: reading chip info failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("ENOTTY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_provider_opens_names_in_its_directory_and_paths_as_given()
    {
        using var dir = new TempDirectory();
        var provider = new LinuxGpioChipProvider(dir.Path);

        var byName = Assert.Throws<GpioException>(() => provider.OpenChip("gpiochip4"));
        var byPath = Assert.Throws<GpioException>(() => provider.OpenChip("/dev/null"));
        var byLabel = Assert.Throws<GpioException>(() => provider.OpenChip("tegra234-gpio"));

        Assert.StartsWith($"GPIO chip {Path.Combine(dir.Path, "gpiochip4")}: open failed", byName.Message, StringComparison.Ordinal);
        Assert.Equal(Errno.NotATypewriter, byPath.Errno);
        Assert.Equal($"No GPIO chip labelled 'tegra234-gpio': {dir.Path} holds no gpiochip devices (is this a board with GPIO, and CONFIG_GPIO_CDEV enabled?)", byLabel.Message);
    }

    [Fact]
    public void Errno_descriptions_carry_strerror_and_the_symbolic_name()
    {
        Assert.Equal("Device or resource busy (EBUSY)", Errno.Describe(Errno.Busy));
        Assert.EndsWith("(errno 200)", Errno.Describe(200), StringComparison.Ordinal);
    }

    /// <summary>Edge timestamps are CLOCK_MONOTONIC; the panel times presses with TimeProvider.System, so they must agree.</summary>
    [Fact]
    public unsafe void The_system_time_providers_timestamps_are_on_the_kernels_edge_event_clock()
    {
        TestLibc.TimeSpec before, after;
        Assert.Equal(0, TestLibc.ClockGetTime(TestLibc.ClockMonotonic, &before));
        var provider = TimeProvider.System.GetElapsedTime(0, TimeProvider.System.GetTimestamp());
        Assert.Equal(0, TestLibc.ClockGetTime(TestLibc.ClockMonotonic, &after));

        var tolerance = TimeSpan.FromMilliseconds(1);
        Assert.InRange(provider, ToTimeSpan(before) - tolerance, ToTimeSpan(after) + tolerance);
    }

    private static TimeSpan ToTimeSpan(TestLibc.TimeSpec time) => TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));

    private static FileDescriptor OpenDevNull()
    {
        var fd = Libc.Open("/dev/null", Libc.OpenReadWrite | Libc.OpenCloseOnExec);
        Assert.True(fd >= 0, $"open /dev/null: errno {Marshal.GetLastPInvokeError()}");
        return new FileDescriptor(fd);
    }

    private static unsafe (FileDescriptor Reader, FileDescriptor Writer) Pipe()
    {
        var fds = stackalloc int[2];
        Assert.Equal(0, TestLibc.Pipe2(fds, Libc.OpenCloseOnExec));
        return (new FileDescriptor(fds[0]), new FileDescriptor(fds[1]));
    }

    private static unsafe void SendBytes(FileDescriptor writer, byte[] bytes)
    {
        fixed (byte* p = bytes)
        {
            Assert.Equal(bytes.Length, Libc.Write(writer, p, (nuint)bytes.Length));
        }
    }

    private static unsafe void Send(FileDescriptor writer, params GpioLineEventNative[] events)
    {
        fixed (GpioLineEventNative* p = events)
        {
            var size = events.Length * sizeof(GpioLineEventNative);
            Assert.Equal(size, Libc.Write(writer, p, (nuint)size));
        }
    }
}
