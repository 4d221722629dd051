using Appliance.Gpio;
using Xunit.Abstractions;

namespace Appliance.Tests.Gpio;

/// <summary>
/// The ioctl driver against real kernel GPIO chips: every /dev/gpiochip* of the machine (read-only checks), and a
/// gpio-sim chip created through configfs (full checks: outputs, inputs, edges, debounce, reconfiguration). Where the
/// machine has neither, each test says so in its output and checks what it can: that asking fails clearly.
/// </summary>
public sealed class RealGpioChipTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Every_gpio_chip_on_this_machine_describes_itself_and_its_lines()
    {
        var provider = new LinuxGpioChipProvider();
        var paths = provider.ChipPaths();
        if (paths.Count == 0)
        {
            output.WriteLine("No GPIO chip on this machine (no /dev/gpiochip*): skipped the real-chip checks; checked that opening one fails with ENOENT instead.");
            var error = Assert.Throws<GpioException>(() => provider.OpenChip("gpiochip0"));
            Assert.Equal(Errno.NoSuchFile, error.Errno);
            Assert.StartsWith("GPIO chip /dev/gpiochip0: open failed: No such file or directory (ENOENT)", error.Message, StringComparison.Ordinal);
            return;
        }

        foreach (var path in paths)
        {
            GpioCharDevChip chip;
            try
            {
                chip = GpioCharDevChip.Open(path);
            }
            catch (GpioException ex) when (ex.Errno is Errno.AccessDenied or Errno.NoPermission)
            {
                output.WriteLine($"{path}: not readable by this user, skipped ({ex.Message})");
                continue;
            }

            using (chip)
            {
                output.WriteLine($"{chip.Info.Description}: {chip.Info.Name}, {chip.Info.LineCount} lines");
                Assert.Equal(Path.GetFileName(path), chip.Info.Name);
                Assert.True(chip.Info.LineCount > 0);
                var lines = Enumerable.Range(0, (int)chip.Info.LineCount).Select(offset => chip.GetLineInfo((uint)offset)).ToArray();
                Assert.Equal(Enumerable.Range(0, lines.Length).Select(i => (uint)i), lines.Select(line => line.Offset));
                if (lines.FirstOrDefault(line => line.Name.Length > 0) is { } named)
                {
                    Assert.Equal(lines.First(line => line.Name == named.Name).Offset, chip.FindLine(named.Name));
                }

                if (chip.Info.Label.Length > 0)
                {
                    using var byLabel = provider.OpenChip(chip.Info.Label);
                    Assert.Equal(chip.Info.Label, byLabel.Info.Label);
                }
            }
        }
    }

    [Fact]
    public void A_simulated_chip_reports_its_label_lines_and_names() => WithSimulator((simulator, chip) =>
    {
        Assert.Equal(simulator.Label, chip.Info.Label);
        Assert.Equal((uint)GpioSimulator.LineNames.Length, chip.Info.LineCount);
        Assert.Equal(4u, chip.FindLine("btn-ask"));
        Assert.Equal(4u, chip.ResolveLine("btn-ask"));
        Assert.Equal(2u, chip.ResolveLine("2"));
        Assert.Equal("led-busy", chip.GetLineInfo(1).Name);
        Assert.Contains("no line named 'nope'", Assert.Throws<GpioException>(() => chip.FindLine("nope")).Message, StringComparison.Ordinal);
    });

    [Fact]
    public void Simulated_outputs_drive_their_lines_and_honour_active_low() => WithSimulator((simulator, chip) =>
    {
        using var request = chip.RequestLines("appliance-test", [
            new GpioLineConfig(0, new GpioLineSettings { Direction = GpioDirection.Output, OutputValue = true }),
            new GpioLineConfig(1, new GpioLineSettings { Direction = GpioDirection.Output, ActiveLow = true, OutputValue = false }),
        ]);
        Assert.True(simulator.ReadValue(0));
        Assert.True(simulator.ReadValue(1));

        request.SetValue(0, false);
        request.SetValue(1, true);

        Assert.False(simulator.ReadValue(0));
        Assert.False(simulator.ReadValue(1));
        Assert.False(request.GetValue(0));
        Assert.True(request.GetValue(1));
        var info = chip.GetLineInfo(1);
        Assert.True(info.IsUsed);
        Assert.Equal("appliance-test", info.Consumer);
        Assert.Equal(GpioLineFlags.Used | GpioLineFlags.Output | GpioLineFlags.ActiveLow, info.Flags & (GpioLineFlags.Used | GpioLineFlags.Output | GpioLineFlags.ActiveLow));
    });

    [Fact]
    public async Task Simulated_input_edges_arrive_in_order_with_monotonic_timestamps()
    {
        await WithSimulatorAsync(async (simulator, chip) =>
        {
            simulator.SetPull(4, up: false);
            using var request = chip.RequestLine("appliance-test", 4, new GpioLineSettings
            {
                Direction = GpioDirection.Input,
                EdgeDetection = GpioEdgeDetection.Both,
                DebouncePeriod = TimeSpan.FromMilliseconds(1),
            });
            Assert.Equal(TimeSpan.FromMilliseconds(1), chip.GetLineInfo(4).DebouncePeriod);
            var before = TimeProvider.System.GetElapsedTime(0, TimeProvider.System.GetTimestamp());

            simulator.SetPull(4, up: true);
            var rising = await ReadOneAsync(request);
            simulator.SetPull(4, up: false);
            var falling = await ReadOneAsync(request);

            Assert.Equal((GpioEdgeKind.Rising, 4u, 1u), (rising.Kind, rising.Offset, rising.SequenceNumber));
            Assert.Equal((GpioEdgeKind.Falling, 4u, 2u), (falling.Kind, falling.Offset, falling.SequenceNumber));
            Assert.True(rising.Timestamp >= before, $"edge at {rising.Timestamp} before the test started at {before}");
            Assert.True(falling.TimestampNs > rising.TimestampNs);
            Assert.False(request.GetValue(4));
        });
    }

    [Fact]
    public void A_simulated_line_held_by_one_request_is_busy_for_another_and_can_be_reconfigured() => WithSimulator((simulator, chip) =>
    {
        using var request = chip.RequestLine("appliance-test", 3, new GpioLineSettings());

        var busy = Assert.Throws<GpioException>(() => chip.RequestLine("appliance-other", 3, new GpioLineSettings()));
        request.Reconfigure([new GpioLineConfig(3, new GpioLineSettings { Direction = GpioDirection.Output, OutputValue = true })]);

        Assert.Equal(Errno.Busy, busy.Errno);
        Assert.Contains("requesting line 3 failed: Device or resource busy (EBUSY)", busy.Message, StringComparison.Ordinal);
        Assert.True(simulator.ReadValue(3));
    });

    private void WithSimulator(Action<GpioSimulator, IGpioChip> test) =>
        WithSimulatorAsync((simulator, chip) =>
        {
            test(simulator, chip);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    private async Task WithSimulatorAsync(Func<GpioSimulator, IGpioChip, Task> test)
    {
        using var simulator = GpioSimulator.TryCreate(out var whyNot);
        if (simulator is null)
        {
            output.WriteLine($"No gpio-sim chip on this machine: {whyNot}. Skipped the simulated-chip checks; checked that no such chip can be opened instead.");
            var missing = $"appliance-sim-{Environment.ProcessId}";
            Assert.Throws<GpioException>(() => new LinuxGpioChipProvider().OpenChip(missing));
            return;
        }

        output.WriteLine($"Running against gpio-sim chip {simulator.ChipPath} ({simulator.Label})");
        using var chip = new LinuxGpioChipProvider().OpenChip(simulator.Label);
        await test(simulator, chip);
    }

    private static async Task<GpioEdgeEvent> ReadOneAsync(IGpioLineRequest request)
    {
        using var cancellation = new CancellationTokenSource(Patience);
        var events = new GpioEdgeEvent[1];
        await Task.Factory.StartNew(
            () => request.ReadEdgeEvents(events, cancellation.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return events[0];
    }
}
