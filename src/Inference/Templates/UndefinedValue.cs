using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>What an unknown name, a missing key or an out-of-range index evaluates to.</summary>
internal sealed class UndefinedValue : TemplateValue
{
    public static readonly UndefinedValue Instance = new();

    private UndefinedValue()
    {
    }

    internal override string TypeName => "undefined";

    internal override bool IsTruthy => false;

    internal override string ConcatText => string.Empty;

    internal override void WriteTo(StringBuilder output)
    {
    }
}
