using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// <c>{% for target in iterable [if filter] %}...{% else %}...{% endfor %}</c>. Each iteration gets its own scope
/// holding the target and <c>loop</c> (index, index0, revindex, revindex0, first, last, length, previtem, nextitem),
/// so a <c>set</c> in the body lasts one iteration, as in Jinja. The else body runs when no iteration ran to its end.
/// </summary>
internal sealed class ForStatement(
    SourceLocation location,
    Expression target,
    Expression iterable,
    Expression? filter,
    List<Statement> body,
    List<Statement> orElse)
    : Statement(location)
{
    public override Flow Execute(Scope scope, RenderState state, StringBuilder output)
    {
        var loopScope = new Scope(scope);
        var items = Items(loopScope, state);
        var completed = false;
        for (var i = 0; i < items.Count; i++)
        {
            var iteration = new Scope(loopScope);
            iteration.Set("loop", LoopInfo(items, i));
            Assignment.Assign(target, items[i], iteration, state);
            var flow = ExecuteAll(body, iteration, state, output);
            if (flow == Flow.Break)
            {
                break;
            }

            completed |= flow == Flow.Normal;
        }

        return completed ? Flow.Normal : ExecuteAll(orElse, loopScope, state, output);
    }

    private List<TemplateValue> Items(Scope scope, RenderState state)
    {
        var value = iterable.Evaluate(scope, state);
        List<TemplateValue> items;
        try
        {
            items = ValueAccess.Iterate(value);
        }
        catch (TemplateRuntimeError error)
        {
            throw error.At(iterable.Location);
        }

        if (filter is null)
        {
            return items;
        }

        var kept = new List<TemplateValue>();
        foreach (var item in items)
        {
            var probe = new Scope(scope);
            Assignment.Assign(target, item, probe, state);
            if (filter.Evaluate(probe, state).IsTruthy)
            {
                kept.Add(item);
            }
        }

        return kept;
    }

    private static DictValue LoopInfo(List<TemplateValue> items, int index)
    {
        var loop = new DictValue();
        var count = items.Count;
        loop.Entries["index"] = new IntValue(index + 1);
        loop.Entries["index0"] = new IntValue(index);
        loop.Entries["revindex"] = new IntValue(count - index);
        loop.Entries["revindex0"] = new IntValue(count - index - 1);
        loop.Entries["first"] = BoolValue.Of(index == 0);
        loop.Entries["last"] = BoolValue.Of(index == count - 1);
        loop.Entries["length"] = new IntValue(count);
        loop.Entries["previtem"] = index > 0 ? items[index - 1] : UndefinedValue.Instance;
        loop.Entries["nextitem"] = index < count - 1 ? items[index + 1] : UndefinedValue.Instance;
        return loop;
    }
}
