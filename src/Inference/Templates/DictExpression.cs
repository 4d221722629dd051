namespace Appliance.Inference.Templates;

/// <summary>A dict literal <c>{'a': 1}</c>; keys must evaluate to strings.</summary>
internal sealed class DictExpression(SourceLocation location, List<(Expression Key, Expression Value)> entries)
    : Expression(location)
{
    protected override TemplateValue EvaluateCore(Scope scope, RenderState state)
    {
        var dict = new DictValue();
        foreach (var (keyExpression, valueExpression) in entries)
        {
            var key = keyExpression.Evaluate(scope, state);
            if (key is not StringValue text)
            {
                throw new TemplateRuntimeError($"dict keys must be strings, got {key.TypeName}");
            }

            dict.Entries[text.Value] = valueExpression.Evaluate(scope, state);
        }

        return dict;
    }
}
