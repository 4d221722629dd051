using System.Device.I2c;
using System.Text;

namespace Appliance.Tests.Panel;

/// <summary>
/// A PCF8574 I2C backpack with an HD44780 character LCD behind it, in memory: decodes each byte written to the
/// expander (P0 = RS, P2 = E, P3 = backlight, P4-P7 = D4-D7) as the controller would — data latched when E falls,
/// 8-bit transfers of the upper lines until a function set selects 4 bits, then nibble pairs — into display RAM, and
/// reads back the characters on screen. Commands: clear, home, entry mode, display on/off, cursor shift, function set,
/// CGRAM and DDRAM address.
/// </summary>
internal sealed class FakeLcdBackpack(I2cConnectionSettings settings, int columns, int rows) : I2cDevice
{
    private const byte RegisterSelect = 0x01;
    private const byte Enable = 0x04;
    private const byte Backlight = 0x08;

    private readonly Lock _gate = new();
    private readonly byte[] _ddram = Enumerable.Repeat((byte)' ', 128).ToArray();
    private byte _lastByte;
    private bool _eightBit = true;
    private int? _highNibble;
    private int _address;
    private bool _increment = true;
    private bool _writingCgram;
    private Exception? _failure;

    public override I2cConnectionSettings ConnectionSettings { get; } = settings;

    public bool BacklightOn { get; private set; }

    public bool DisplayOn { get; private set; }

    public bool IsDisposed { get; private set; }

    /// <summary>How many bytes reached the expander.</summary>
    public int BytesWritten { get; private set; }

    /// <summary>The rows as the display shows them (DDRAM through the row offsets of a 2-line controller).</summary>
    public IReadOnlyList<string> Screen
    {
        get
        {
            lock (_gate)
            {
                int[] offsets = [0x00, 0x40, columns, 0x40 + columns];
                return [.. offsets.Take(rows).Select(offset => Encoding.ASCII.GetString(_ddram, offset, columns))];
            }
        }
    }

    /// <summary>Every later write fails with <paramref name="failure"/>, as when the backpack is unplugged.</summary>
    public void FailWrites(Exception failure) => _failure = failure;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_failure is not null)
        {
            throw _failure;
        }

        lock (_gate)
        {
            foreach (var value in buffer)
            {
                Latch(value);
            }
        }
    }

    public override void Read(Span<byte> buffer) => throw new NotSupportedException("The display is written only.");

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer) => throw new NotSupportedException("The display is written only.");

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }

    private void Latch(byte value)
    {
        BytesWritten++;
        BacklightOn = (value & Backlight) != 0;
        var falling = (_lastByte & Enable) != 0 && (value & Enable) == 0;
        var latched = _lastByte;
        _lastByte = value;
        if (!falling)
        {
            return;
        }

        var nibble = latched >> 4;
        var isData = (latched & RegisterSelect) != 0;
        if (_eightBit)
        {
            // D0-D3 are not wired: they read as 0.
            Execute(isData, (byte)(nibble << 4));
        }
        else if (_highNibble is { } high)
        {
            _highNibble = null;
            Execute(isData, (byte)((high << 4) | nibble));
        }
        else
        {
            _highNibble = nibble;
        }
    }

    private void Execute(bool isData, byte value)
    {
        if (isData)
        {
            if (!_writingCgram)
            {
                _ddram[_address] = value;
            }

            Step(_increment);
            return;
        }

        if ((value & 0x80) != 0)
        {
            _address = value & 0x7F;
            _writingCgram = false;
        }
        else if ((value & 0x40) != 0)
        {
            _writingCgram = true;
        }
        else if ((value & 0x20) != 0)
        {
            _eightBit = (value & 0x10) != 0;
            _highNibble = null;
        }
        else if ((value & 0x10) != 0)
        {
            // Cursor or display shift: only the cursor move changes what later writes address.
            if ((value & 0x08) == 0)
            {
                Step((value & 0x04) != 0);
            }
        }
        else if ((value & 0x08) != 0)
        {
            DisplayOn = (value & 0x04) != 0;
        }
        else if ((value & 0x04) != 0)
        {
            _increment = (value & 0x02) != 0;
        }
        else if ((value & 0x02) != 0)
        {
            _address = 0;
        }
        else if ((value & 0x01) != 0)
        {
            Array.Fill(_ddram, (byte)' ');
            _address = 0;
            _increment = true;
            _writingCgram = false;
        }
    }

    /// <summary>The address counter of a 2-line display: 0x00-0x27 then 0x40-0x67, wrapping.</summary>
    private void Step(bool forward)
    {
        _address = forward
            ? _address switch { 0x27 => 0x40, 0x67 => 0x00, _ => _address + 1 }
            : _address switch { 0x00 => 0x67, 0x40 => 0x27, _ => _address - 1 };
    }
}
