namespace Appliance.Inference.Templates;

/// <summary>Binds a value to a <c>set</c> or <c>for</c> target: a name, a tuple of names, or <c>namespace.attribute</c>.</summary>
internal static class Assignment
{
    /// <summary>Whether <paramref name="target"/> can be assigned to (checked when parsing).</summary>
    public static bool IsValidTarget(Expression target, bool allowAttribute) => target switch
    {
        NameExpression => true,
        ListExpression { IsTuple: true } tuple => tuple.Items.TrueForAll(item => item is NameExpression),
        AttributeExpression => allowAttribute,
        _ => false,
    };

    public static void Assign(Expression target, TemplateValue value, Scope scope, RenderState state)
    {
        switch (target)
        {
            case NameExpression name:
                scope.Set(name.Name, value);
                break;
            case ListExpression tuple:
                var items = value as ListValue ?? throw new TemplateException(
                    target.Location, $"cannot unpack {value.TypeName} into {tuple.Items.Count} names");
                if (items.Items.Count != tuple.Items.Count)
                {
                    throw new TemplateException(
                        target.Location,
                        $"cannot unpack {items.Items.Count} values into {tuple.Items.Count} names");
                }

                for (var i = 0; i < tuple.Items.Count; i++)
                {
                    scope.Set(((NameExpression)tuple.Items[i]).Name, items.Items[i]);
                }

                break;
            case AttributeExpression attribute:
                var owner = attribute.Target.Evaluate(scope, state);
                if (owner is not NamespaceValue ns)
                {
                    throw new TemplateException(
                        target.Location,
                        $"cannot set '{attribute.Describe()}': the target is {owner.TypeName}, and only namespace() objects can be changed");
                }

                ns.Attributes[attribute.Name] = value;
                break;
        }
    }
}
