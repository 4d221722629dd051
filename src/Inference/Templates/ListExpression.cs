namespace Appliance.Inference.Templates;

/// <summary>A list literal <c>[a, b]</c> or a tuple <c>(a, b)</c> / <c>a, b</c>; tuples can also be assignment targets.</summary>
internal sealed class ListExpression(SourceLocation location, List<Expression> items, bool isTuple) : Expression(location)
{
    public List<Expression> Items { get; } = items;

    public bool IsTuple { get; } = isTuple;

    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        var values = new List<TemplateValue>(Items.Count);
        foreach (var item in Items)
        {
            values.Add(item.Evaluate(scope, state));
        }

        return new ListValue(values);
    }
}
