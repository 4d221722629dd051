namespace Appliance.Inference.Templates;

/// <summary>The evaluated arguments of a call, filter or test: positional values, then keyword values in order.</summary>
internal sealed class CallArguments
{
    public static readonly CallArguments None = new([], []);

    public CallArguments(List<TemplateValue> positional, List<KeyValuePair<string, TemplateValue>> keywords)
    {
        Positional = positional;
        Keywords = keywords;
    }

    public List<TemplateValue> Positional { get; }

    public List<KeyValuePair<string, TemplateValue>> Keywords { get; }

    /// <summary>The argument at <paramref name="position"/>, else the keyword <paramref name="name"/>, else null.</summary>
    public TemplateValue? Get(int position, string name) =>
        position < Positional.Count ? Positional[position] : Keyword(name);

    public TemplateValue? Keyword(string name)
    {
        foreach (var (key, value) in Keywords)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Rejects more positional arguments than <paramref name="allowed"/> or keywords not in <paramref name="names"/>.</summary>
    public void Expect(string what, int allowed, params string[] names)
    {
        if (Positional.Count > allowed)
        {
            throw new TemplateRuntimeError($"{what} takes at most {allowed} positional argument(s), got {Positional.Count}");
        }

        foreach (var (key, _) in Keywords)
        {
            if (Array.IndexOf(names, key) < 0)
            {
                throw new TemplateRuntimeError($"{what} got an unexpected keyword argument '{key}'");
            }
        }
    }
}
