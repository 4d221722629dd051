namespace Appliance.Inference.Templates;

/// <summary>
/// The tests of <c>x is name</c>. Type tests follow the reference (e.g. <c>iterable</c> means list or string);
/// tests with an argument (divisibleby, eq, lt, in, ...) follow Python's Jinja, which the reference lacks.
/// </summary>
internal static class TemplateTests
{
    private static readonly Dictionary<string, Func<TemplateValue, bool>> Unary = new(StringComparer.Ordinal)
    {
        ["boolean"] = value => value is BoolValue,
        ["callable"] = value => value is FunctionValue,
        ["defined"] = value => value is not UndefinedValue,
        ["undefined"] = value => value is UndefinedValue,
        ["none"] = value => value is NoneValue,
        ["true"] = value => value is BoolValue { Value: true },
        ["false"] = value => value is BoolValue { Value: false },
        ["string"] = value => value is StringValue,
        ["number"] = value => value is IntValue or FloatValue,
        ["integer"] = value => value is IntValue,
        ["float"] = value => value is FloatValue,
        ["mapping"] = value => value is DictValue,
        ["iterable"] = value => value is ListValue or StringValue,
        ["sequence"] = value => value is ListValue or DictValue or StringValue,
        ["lower"] = value => value is StringValue s && IsUnchangedBy(s.Value, text => text.ToLowerInvariant()),
        ["upper"] = value => value is StringValue s && IsUnchangedBy(s.Value, text => text.ToUpperInvariant()),
        ["odd"] = value => RequireInteger(value, "odd") % 2 != 0,
        ["even"] = value => RequireInteger(value, "even") % 2 == 0,
    };

    private static readonly Dictionary<string, Func<TemplateValue, TemplateValue, bool>> Binary = new(StringComparer.Ordinal)
    {
        ["divisibleby"] = (value, divisor) => RequireInteger(divisor, "divisibleby") is var d && d != 0
            ? RequireInteger(value, "divisibleby") % d == 0
            : throw new TemplateRuntimeError("divisibleby(0) divides by zero"),
        ["eq"] = TemplateOperators.AreEqual,
        ["equalto"] = TemplateOperators.AreEqual,
        ["=="] = TemplateOperators.AreEqual,
        ["ne"] = (a, b) => !TemplateOperators.AreEqual(a, b),
        ["!="] = (a, b) => !TemplateOperators.AreEqual(a, b),
        ["lt"] = (a, b) => Compare("<", a, b),
        ["lessthan"] = (a, b) => Compare("<", a, b),
        ["<"] = (a, b) => Compare("<", a, b),
        ["le"] = (a, b) => Compare("<=", a, b),
        ["<="] = (a, b) => Compare("<=", a, b),
        ["gt"] = (a, b) => Compare(">", a, b),
        ["greaterthan"] = (a, b) => Compare(">", a, b),
        [">"] = (a, b) => Compare(">", a, b),
        ["ge"] = (a, b) => Compare(">=", a, b),
        [">="] = (a, b) => Compare(">=", a, b),
        ["in"] = (value, container) => TemplateOperators.Contains(container, value),
        ["sameas"] = ReferenceEquals,
    };

    public static bool Exists(string name) => Unary.ContainsKey(name) || Binary.ContainsKey(name);

    /// <summary>True for tests that take one argument, which may be written without parentheses (<c>is divisibleby 3</c>).</summary>
    public static bool TakesArgument(string name) => Binary.ContainsKey(name);

    public static bool Apply(string name, TemplateValue value, CallArguments arguments)
    {
        if (Unary.TryGetValue(name, out var unary))
        {
            arguments.Expect($"test '{name}'", 0);
            return unary(value);
        }

        if (Binary.TryGetValue(name, out var binary))
        {
            arguments.Expect($"test '{name}'", 1);
            var other = arguments.Get(0, string.Empty)
                ?? throw new TemplateRuntimeError($"test '{name}' needs an argument");
            return binary(value, other);
        }

        throw new TemplateRuntimeError($"unknown test '{name}'");
    }

    private static bool IsUnchangedBy(string text, Func<string, string> change) =>
        string.Equals(text, change(text), StringComparison.Ordinal);

    private static long RequireInteger(TemplateValue value, string test) => value is IntValue i
        ? i.Value
        : throw new TemplateRuntimeError($"test '{test}' needs an integer, got {value.TypeName}");

    private static bool Compare(string op, TemplateValue a, TemplateValue b) =>
        TemplateOperators.Apply(op, a, b).IsTruthy;
}
