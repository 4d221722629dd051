using System.Device.Gpio;
using Appliance.Gpio;

namespace Appliance.Tests.Gpio;

/// <summary>
/// The chips of a fake board: <see cref="Factory"/> is the appliance's own <see cref="GpioControllerFactory"/> (so chip
/// lookup and its errors are the real ones) listing these chips and handing out their <see cref="FakeGpioDriver"/>s.
/// </summary>
internal sealed class FakeGpioChips
{
    private readonly TimeProvider _clock;
    private readonly List<FakeGpioDriver> _drivers = [];

    public FakeGpioChips(TimeProvider clock)
    {
        _clock = clock;
        Factory = new GpioControllerFactory("fake", () => [.. _drivers.Select(driver => driver.Info)], Open);
    }

    public GpioControllerFactory Factory { get; }

    /// <summary>How many times a chip was opened.</summary>
    public int OpenCount { get; private set; }

    public FakeGpioDriver AddChip(string name, string label, int lineCount)
    {
        var driver = new FakeGpioDriver(new GpioChipInfo(_drivers.Count, name, label, lineCount), _clock);
        _drivers.Add(driver);
        return driver;
    }

    private FakeGpioDriver Open(GpioChipInfo chip)
    {
        OpenCount++;
        return _drivers[chip.Id];
    }
}
