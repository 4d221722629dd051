namespace Appliance.Inference.Templates;

/// <summary><c>target.name</c>: a dict key, a namespace attribute or a string/dict method.</summary>
internal sealed class AttributeExpression(SourceLocation location, Expression target, string name) : Expression(location)
{
    public Expression Target { get; } = target;

    public string Name { get; } = name;

    public override string Describe() => Target.Describe() is { } target ? $"{target}.{Name}" : Name;

    protected override TemplateValue EvaluateCore(Scope scope, RenderState state) =>
        ValueAccess.GetAttribute(Target.Evaluate(scope, state), Name);
}
