using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>A list or tuple. Lists are never changed after they are built, so they can be shared.</summary>
internal sealed class ListValue(List<TemplateValue> items) : TemplateValue
{
    public static ListValue Empty => new([]);

    public List<TemplateValue> Items { get; } = items;

    internal override string TypeName => "list";

    internal override bool IsTruthy => Items.Count > 0;

    internal override void WriteTo(StringBuilder output) => TemplateJson.Write(output, this, JsonFormat.Display);
}
