using System.Globalization;
using System.Text;

namespace Appliance.Inference.Templates;

internal sealed class IntValue(long value) : TemplateValue
{
    public long Value { get; } = value;

    internal override string TypeName => "int";

    internal override bool IsTruthy => Value != 0;

    /// <summary>An int for a double holding a whole number that fits, as the reference turns such numbers into ints.</summary>
    public static bool TryFromIntegralDouble(double number, out IntValue value)
    {
        // 2^63 is exactly representable; anything at or beyond it does not fit a long.
        if (Math.Floor(number) == number && Math.Abs(number) < 9.223372036854775808e18)
        {
            value = new IntValue((long)number);
            return true;
        }

        value = null!;
        return false;
    }

    internal override void WriteTo(StringBuilder output) => output.Append(Value.ToString(CultureInfo.InvariantCulture));
}
