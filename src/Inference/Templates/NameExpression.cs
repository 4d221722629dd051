namespace Appliance.Inference.Templates;

/// <summary>A variable; an unknown name is undefined, not an error.</summary>
internal sealed class NameExpression(SourceLocation location, string name) : Expression(location)
{
    public string Name { get; } = name;

    public override string Describe() => Name;

    protected override TemplateValue EvaluateCore(Scope scope, RenderState state) => scope.Lookup(Name);
}
