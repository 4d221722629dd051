using System.Numerics;
using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// A float. It renders as the reference renders floats (a whole number keeps ".0", otherwise JavaScript's shortest
/// form), but joins into strings and JSON as a JavaScript number, so 2.0 joins as "2".
/// </summary>
internal sealed class FloatValue(double value) : TemplateValue
{
    public double Value { get; } = value;

    internal override string TypeName => "float";

    internal override bool IsTruthy => Value != 0 && !double.IsNaN(Value);

    internal override string ConcatText => JsNumber.Format(Value);

    internal override void WriteTo(StringBuilder output)
    {
        if (Value == 0 && double.IsNegative(Value))
        {
            output.Append("-0.0");
        }
        else if (double.IsFinite(Value) && Math.Floor(Value) == Value && Math.Abs(Value) < 1e21)
        {
            // Exact digits of the whole number, as JavaScript's toFixed(1) prints them.
            output.Append(new BigInteger(Value).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(".0");
        }
        else
        {
            output.Append(JsNumber.Format(Value));
        }
    }
}
