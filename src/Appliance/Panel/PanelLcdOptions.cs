namespace Appliance.Panel;

/// <summary>
/// An optional HD44780 character LCD behind a PCF8574 I2C backpack (section Panel:Lcd): it shows the state and model,
/// tokens/s while generating and the last answer scrolling.
/// </summary>
public sealed class PanelLcdOptions
{
    /// <summary>The I2C bus number: /dev/i2c-N (1 on a Raspberry Pi's header).</summary>
    public int Bus { get; set; } = 1;

    /// <summary>The backpack's 7-bit address: 39 (0x27) for the PCF8574T, 63 (0x3F) for the PCF8574AT.</summary>
    public int Address { get; set; } = 0x27;

    /// <summary>"16x2" or "20x4" (columns x rows).</summary>
    public string Size { get; set; } = "16x2";

    public int Columns => Size == "20x4" ? 20 : 16;

    public int Rows => Size == "20x4" ? 4 : 2;

    /// <summary>"Panel:Lcd (I2C bus 1, address 0x27)".</summary>
    public string Description => $"{PanelOptions.SectionName}:Lcd (I2C bus {Bus}, address 0x{Address:X2})";

    /// <summary>One message per problem, naming the option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        const string Path = $"{PanelOptions.SectionName}:Lcd";
        if (Bus is < 0 or > 255)
        {
            yield return $"{Path}:Bus must be between 0 and 255 (/dev/i2c-N), got {Bus}";
        }

        // 0x00-0x07 and 0x78-0x7F are reserved I2C addresses.
        if (Address is < 0x08 or > 0x77)
        {
            yield return $"{Path}:Address must be a 7-bit address between 8 and 119 (0x08-0x77), got {Address}";
        }

        if (Size is not ("16x2" or "20x4"))
        {
            yield return $"{Path}:Size must be 16x2 or 20x4, got '{Size}'";
        }
    }
}
