namespace Appliance.Inference.Templates;

/// <summary>
/// Binds call arguments to a macro's parameters as Jinja does: positionally, then by keyword, then defaults
/// (evaluated in the macro's scope). Extra arguments go to <c>varargs</c>/<c>kwargs</c> when the body reads them
/// and are an error otherwise.
/// </summary>
internal sealed class MacroSignature(string name, List<MacroParameter> parameters, bool usesVarargs, bool usesKwargs)
{
    public string Name { get; } = name;

    public void Bind(CallArguments arguments, Scope macroScope, RenderState state)
    {
        var keywords = new List<KeyValuePair<string, TemplateValue>>(arguments.Keywords);
        var pendingDefaults = new List<MacroParameter>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            var value = i < arguments.Positional.Count ? arguments.Positional[i] : null;
            var keywordIndex = keywords.FindIndex(entry => entry.Key == parameter.Name);
            if (value is null && keywordIndex >= 0)
            {
                value = keywords[keywordIndex].Value;
                keywords.RemoveAt(keywordIndex);
            }
            else if (value is not null && keywordIndex >= 0)
            {
                throw new TemplateRuntimeError($"macro '{Name}' got multiple values for argument '{parameter.Name}'");
            }

            if (value is null && parameter.Default is not null)
            {
                pendingDefaults.Add(parameter);
            }

            macroScope.Set(parameter.Name, value ?? UndefinedValue.Instance);
        }

        if (usesKwargs)
        {
            var extra = new DictValue();
            foreach (var (key, value) in keywords)
            {
                extra.Entries[key] = value;
            }

            macroScope.Set("kwargs", extra);
        }
        else if (keywords.Count > 0)
        {
            throw new TemplateRuntimeError($"macro '{Name}' takes no keyword argument '{keywords[0].Key}'");
        }

        if (usesVarargs)
        {
            macroScope.Set("varargs", new ListValue([.. arguments.Positional.Skip(parameters.Count)]));
        }
        else if (arguments.Positional.Count > parameters.Count)
        {
            throw new TemplateRuntimeError($"macro '{Name}' takes not more than {parameters.Count} argument(s), got {arguments.Positional.Count}");
        }

        foreach (var parameter in pendingDefaults)
        {
            macroScope.Set(parameter.Name, parameter.Default!.Evaluate(macroScope, state));
        }
    }

    /// <summary>Runs <paramref name="body"/> in a fresh scope under <paramref name="parent"/> with the arguments bound.</summary>
    public StringValue Run(List<Statement> body, CallArguments arguments, Scope parent, RenderState state)
    {
        state.EnterCall(Name);
        try
        {
            var macroScope = new Scope(parent);
            Bind(arguments, macroScope, state);
            return new StringValue(Statement.Capture(body, macroScope, state));
        }
        finally
        {
            state.ExitCall();
        }
    }
}
