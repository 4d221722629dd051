using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>true / false; rendered lower-case as the reference renders them.</summary>
internal sealed class BoolValue : TemplateValue
{
    public static readonly BoolValue True = new(true);
    public static readonly BoolValue False = new(false);

    private BoolValue(bool value) => Value = value;

    public bool Value { get; }

    internal override string TypeName => "bool";

    internal override bool IsTruthy => Value;

    public static BoolValue Of(bool value) => value ? True : False;

    internal override void WriteTo(StringBuilder output) => output.Append(Value ? "true" : "false");
}
