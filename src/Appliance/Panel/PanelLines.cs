using Appliance.Gpio;

namespace Appliance.Panel;

/// <summary>
/// Opens the configured roles' lines: LEDs as outputs (off), buttons as inputs with edge detection and debounce.
/// A role that cannot be opened is recorded as a problem naming its configuration path, chip and line; the others
/// still open. Owns the chips and requests it opened.
/// </summary>
internal sealed class PanelLines : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    private PanelLines()
    {
    }

    public List<PanelLed> Leds { get; } = [];

    public List<PanelButtonLine> Buttons { get; } = [];

    public List<string> Problems { get; } = [];

    /// <summary>Roles whose button line runs without kernel debouncing (the chip refused it; software debouncing remains).</summary>
    public List<string> SoftwareDebounceOnly { get; } = [];

    public bool IsEmpty => Leds.Count == 0 && Buttons.Count == 0;

    public static PanelLines Open(PanelOptions options, IGpioChipProvider provider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(provider);
        var lines = new PanelLines();
        var chips = new Dictionary<string, IGpioChip>(StringComparer.Ordinal);
        var chipFailures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var assignment in options.Assignments())
        {
            var chipName = assignment.Line.Chip!.Trim();
            try
            {
                if (chipFailures.TryGetValue(chipName, out var failure))
                {
                    throw new GpioException(failure);
                }

                if (!chips.TryGetValue(chipName, out var chip))
                {
                    try
                    {
                        chip = provider.OpenChip(chipName);
                    }
                    catch (GpioException ex)
                    {
                        chipFailures[chipName] = ex.Message;
                        throw;
                    }

                    chips[chipName] = chip;
                    lines._owned.Add(chip);
                }

                var offset = chip.ResolveLine(assignment.Line.Line!.Trim());
                if (assignment.IsButton)
                {
                    lines.OpenButton(chip, assignment, offset, options);
                }
                else
                {
                    lines.OpenLed(chip, assignment, offset, options);
                }
            }
            catch (GpioException ex)
            {
                lines.Problems.Add($"{assignment.Description} unavailable: {ex.Message}");
            }
        }

        return lines;
    }

    public void Dispose()
    {
        // Requests first, then chips (added in that order of use, released in reverse).
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }

        _owned.Clear();
    }

    private void OpenLed(IGpioChip chip, PanelLineAssignment assignment, uint offset, PanelOptions options)
    {
        var request = chip.RequestLine(options.Consumer, offset, new GpioLineSettings
        {
            Direction = GpioDirection.Output,
            ActiveLow = assignment.ActiveLow,
            Bias = assignment.Bias,
            OutputValue = false,
        });
        _owned.Add(request);
        Leds.Add(new PanelLed(assignment, request, offset));
    }

    private void OpenButton(IGpioChip chip, PanelLineAssignment assignment, uint offset, PanelOptions options)
    {
        var settings = new GpioLineSettings
        {
            Direction = GpioDirection.Input,
            ActiveLow = assignment.ActiveLow,
            Bias = assignment.Bias,
            EdgeDetection = GpioEdgeDetection.Both,
            DebouncePeriod = options.Debounce,
        };
        IGpioLineRequest request;
        var kernelDebounce = options.Debounce > TimeSpan.Zero;
        try
        {
            request = chip.RequestLine(options.Consumer, offset, settings);
        }
        catch (GpioException ex) when (kernelDebounce && ex.Errno is Errno.InvalidArgument or Errno.NotSupported or Errno.KernelNotSupported)
        {
            // Some chips refuse a debounce period outright; the decoder's software debounce covers for it.
            request = chip.RequestLine(options.Consumer, offset, settings with { DebouncePeriod = TimeSpan.Zero });
            kernelDebounce = false;
            SoftwareDebounceOnly.Add($"{assignment.Description}: {ex.Message}");
        }

        bool initiallyPressed;
        try
        {
            initiallyPressed = request.GetValue(offset);
        }
        catch (GpioException)
        {
            request.Dispose();
            throw;
        }

        _owned.Add(request);
        Buttons.Add(new PanelButtonLine(assignment, request, offset, initiallyPressed, kernelDebounce));
    }
}
