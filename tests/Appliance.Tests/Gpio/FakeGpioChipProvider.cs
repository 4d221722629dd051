using Appliance.Gpio;

namespace Appliance.Tests.Gpio;

/// <summary>Hands out <see cref="FakeGpioChip"/>s by name, label or path, and fails like the real provider otherwise.</summary>
internal sealed class FakeGpioChipProvider(TimeProvider clock) : IGpioChipProvider
{
    private readonly List<FakeGpioChip> _chips = [];

    public int OpenCount { get; private set; }

    public FakeGpioChip AddChip(string name, string label, uint lineCount, Func<uint, string>? lineName = null)
    {
        var chip = new FakeGpioChip(new GpioChipInfo($"/dev/{name}", name, label, lineCount), clock, lineName ?? (_ => ""));
        _chips.Add(chip);
        return chip;
    }

    public IGpioChip OpenChip(string chip)
    {
        var found = _chips.FirstOrDefault(c => c.Info.Name == chip || c.Info.Label == chip || c.Info.Path == chip)
            ?? throw GpioException.FromErrno($"GPIO chip {chip}", "open", Errno.NoSuchFile, "no such chip");
        OpenCount++;
        found.OpenCount++;
        return found;
    }
}
