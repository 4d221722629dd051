using System.Device.I2c;
using Appliance.Gpio;
using Iot.Device.CharacterLcd;

namespace Appliance.Panel;

/// <summary>
/// The character LCD through Iot.Device.Bindings: an <see cref="Hd44780"/> (Lcd1602 or Lcd2004) over the PCF8574
/// backpack's 4-bit I2C interface. Rewrites only the rows that changed. Throws <see cref="GpioException"/> when the bus
/// or the display cannot be reached.
/// </summary>
internal sealed class PanelLcd : IDisposable
{
    private readonly I2cDevice _device;
    private readonly Hd44780 _lcd;
    private readonly string?[] _shown;

    private PanelLcd(I2cDevice device, Hd44780 lcd, int rows)
    {
        _device = device;
        _lcd = lcd;
        _shown = new string?[rows];
    }

    public static PanelLcd Open(PanelLcdOptions options, Func<I2cConnectionSettings, I2cDevice> openI2c)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(openI2c);
        var device = GpioFailure.Guard(null, () => openI2c(new I2cConnectionSettings(options.Bus, options.Address)));
        try
        {
            // The backpack wires the display's D4-D7 only: the 4-bit protocol, hence uses8Bit: false.
            var lcd = GpioFailure.Guard<Hd44780>(null, () => options.Rows == 4 ? new Lcd2004(device, uses8Bit: false) : new Lcd1602(device, uses8Bit: false));
            return new PanelLcd(device, lcd, options.Rows);
        }
        catch (GpioException)
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>Shows <paramref name="rows"/> (each as wide as the display).</summary>
    public void Show(IReadOnlyList<string> rows)
    {
        for (var row = 0; row < _shown.Length && row < rows.Count; row++)
        {
            if (rows[row] != _shown[row])
            {
                var text = rows[row];
                GpioFailure.Guard(null, () =>
                {
                    _lcd.SetCursorPosition(0, row);
                    _lcd.Write(text);
                });
                _shown[row] = text;
            }
        }
    }

    /// <summary>Blanks the display and turns its backlight off, as the LEDs go off when the panel stops.</summary>
    public void TurnOff() => GpioFailure.Guard(null, () =>
    {
        _lcd.Clear();
        _lcd.BacklightOn = false;
    });

    public void Dispose()
    {
        _lcd.Dispose();
        _device.Dispose();
    }
}
