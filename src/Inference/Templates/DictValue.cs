using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>A dict with string keys in insertion order (JSON objects, dict literals, the loop variable).</summary>
internal sealed class DictValue : TemplateValue
{
    public OrderedDictionary<string, TemplateValue> Entries { get; } = new(StringComparer.Ordinal);

    internal override string TypeName => "dict";

    internal override bool IsTruthy => Entries.Count > 0;

    internal override void WriteTo(StringBuilder output) => TemplateJson.Write(output, this, JsonFormat.Display);
}
