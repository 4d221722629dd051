namespace Appliance.Inference.Templates;

/// <summary>
/// Variables visible at one point of a render. Child scopes see their parents; <c>set</c> writes to the scope it
/// runs in, so a <c>set</c> inside a loop body stays inside that iteration, as in Jinja.
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private Dictionary<string, TemplateValue>? variables;

    public TemplateValue Lookup(string name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.variables is not null && scope.variables.TryGetValue(name, out var value))
            {
                return value;
            }
        }

        return UndefinedValue.Instance;
    }

    public void Set(string name, TemplateValue value) => (variables ??= new(StringComparer.Ordinal))[name] = value;

    private Scope? Parent { get; } = parent;
}
