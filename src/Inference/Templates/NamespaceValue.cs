using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>What <c>namespace(...)</c> returns: the one object a template may change with <c>set ns.x = ...</c>.</summary>
internal sealed class NamespaceValue : TemplateValue
{
    public OrderedDictionary<string, TemplateValue> Attributes { get; } = new(StringComparer.Ordinal);

    internal override string TypeName => "namespace";

    internal override void WriteTo(StringBuilder output) => TemplateJson.Write(output, this, JsonFormat.Display);
}
