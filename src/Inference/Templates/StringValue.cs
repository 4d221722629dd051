using System.Text;

namespace Appliance.Inference.Templates;

internal sealed class StringValue(string value) : TemplateValue
{
    public static readonly StringValue Empty = new(string.Empty);

    public string Value { get; } = value;

    internal override string TypeName => "string";

    internal override bool IsTruthy => Value.Length > 0;

    internal override string ConcatText => Value;

    public override string ToString() => Value;

    internal override void WriteTo(StringBuilder output) => output.Append(Value);
}
