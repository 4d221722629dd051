using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>Jinja's none. Like the reference, <c>{{ none }}</c> renders nothing; <c>~</c> joins it as "None" as Jinja does.</summary>
internal sealed class NoneValue : TemplateValue
{
    public static readonly NoneValue Instance = new();

    private NoneValue()
    {
    }

    internal override string TypeName => "none";

    internal override bool IsTruthy => false;

    internal override string ConcatText => "None";

    internal override void WriteTo(StringBuilder output)
    {
    }
}
