using System.Numerics;
using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// Arithmetic, comparison, membership and concatenation. Results follow the reference; where it throws or leans
/// on JavaScript coercion (<c>"1" == 1</c>, <c>-7 % 3</c>), Python's Jinja rules apply instead.
/// </summary>
internal static class TemplateOperators
{
    public static TemplateValue Apply(string op, TemplateValue left, TemplateValue right)
    {
        switch (op)
        {
            case "==":
                return BoolValue.Of(AreEqual(left, right));
            case "!=":
                return BoolValue.Of(!AreEqual(left, right));
            case "in":
                return BoolValue.Of(Contains(right, left));
            case "not in":
                return BoolValue.Of(!Contains(right, left));
            case "~":
                return new StringValue(left.ConcatText + right.ConcatText);
        }

        if (left is UndefinedValue || right is UndefinedValue || left is NoneValue || right is NoneValue)
        {
            var missing = left is UndefinedValue or NoneValue ? left : right;
            throw new TemplateRuntimeError($"cannot apply '{op}' to {missing.TypeName} ({left.TypeName} {op} {right.TypeName})");
        }

        if (op == "+" && (left is StringValue || right is StringValue))
        {
            return new StringValue(left.ConcatText + right.ConcatText);
        }

        if (IsNumeric(left) && IsNumeric(right))
        {
            return Arithmetic(op, left, right);
        }

        return (op, left, right) switch
        {
            ("+", ListValue a, ListValue b) => new ListValue([.. a.Items, .. b.Items]),
            ("*", StringValue s, IntValue n) => Repeat(s.Value, n.Value),
            ("*", IntValue n, StringValue s) => Repeat(s.Value, n.Value),
            ("<" or "<=" or ">" or ">=", StringValue a, StringValue b) => BoolValue.Of(Compare(op, string.CompareOrdinal(a.Value, b.Value))),
            _ => throw new TemplateRuntimeError($"unsupported operand types for '{op}': {left.TypeName} and {right.TypeName}"),
        };
    }

    /// <summary>Unary minus or plus on a number (true/false count as 1/0).</summary>
    public static TemplateValue Sign(string op, TemplateValue value)
    {
        var negate = op == "-";
        return value switch
        {
            FloatValue f => new FloatValue(negate ? -f.Value : f.Value),
            IntValue or BoolValue => new IntValue(negate ? Negate(ToLong(value)) : ToLong(value)),
            _ => throw new TemplateRuntimeError($"bad operand type for unary '{op}': {value.TypeName}"),
        };
    }

    /// <summary>Python equality: numbers by value (true == 1), strings ordinally, lists and dicts by content.</summary>
    public static bool AreEqual(TemplateValue left, TemplateValue right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (IsNumeric(left) && IsNumeric(right))
        {
            return left is FloatValue || right is FloatValue
                ? ToDouble(left) == ToDouble(right)
                : ToLong(left) == ToLong(right);
        }

        return (left, right) switch
        {
            (StringValue a, StringValue b) => a.Value == b.Value,
            (ListValue a, ListValue b) => a.Items.Count == b.Items.Count
                && a.Items.Zip(b.Items).All(pair => AreEqual(pair.First, pair.Second)),
            (DictValue a, DictValue b) => a.Entries.Count == b.Entries.Count
                && a.Entries.All(entry => b.Entries.TryGetValue(entry.Key, out var other) && AreEqual(entry.Value, other)),
            _ => false,
        };
    }

    /// <summary><c>item in container</c>: list membership, substring, or dict key. Nothing is in undefined.</summary>
    public static bool Contains(TemplateValue container, TemplateValue item) => container switch
    {
        UndefinedValue => false,
        ListValue list => list.Items.Exists(element => AreEqual(element, item)),
        StringValue text => item is StringValue part
            ? text.Value.Contains(part.Value, StringComparison.Ordinal)
            : throw new TemplateRuntimeError($"'in <string>' needs a string on the left, got {item.TypeName}"),
        DictValue dict => item is StringValue key && dict.Entries.ContainsKey(key.Value),
        _ => throw new TemplateRuntimeError($"cannot test membership in {container.TypeName}"),
    };

    /// <summary>
    /// The order the sort/dictsort filters use (as the reference): numbers (and true/false) by value, strings
    /// case-insensitively unless asked; none only equals none; anything else cannot be compared.
    /// </summary>
    public static int CompareForSort(TemplateValue left, TemplateValue right, bool caseSensitive)
    {
        if (left is NoneValue && right is NoneValue || left is UndefinedValue && right is UndefinedValue)
        {
            return 0;
        }

        if (IsNumeric(left) && IsNumeric(right))
        {
            return ToDouble(left).CompareTo(ToDouble(right));
        }

        if (left is StringValue a && right is StringValue b)
        {
            var x = caseSensitive ? a.Value : a.Value.ToLowerInvariant();
            var y = caseSensitive ? b.Value : b.Value.ToLowerInvariant();
            return Math.Sign(string.CompareOrdinal(x, y));
        }

        throw new TemplateRuntimeError($"cannot compare {left.TypeName} with {right.TypeName}");
    }

    public static bool IsNumeric(TemplateValue value) => value is IntValue or FloatValue or BoolValue;

    public static double ToDouble(TemplateValue value) => value switch
    {
        IntValue i => i.Value,
        FloatValue f => f.Value,
        BoolValue b => b.Value ? 1 : 0,
        _ => throw new TemplateRuntimeError($"expected a number, got {value.TypeName}"),
    };

    private static long ToLong(TemplateValue value) => value switch
    {
        IntValue i => i.Value,
        BoolValue b => b.Value ? 1 : 0,
        _ => throw new TemplateRuntimeError($"expected an integer, got {value.TypeName}"),
    };

    private static TemplateValue Arithmetic(string op, TemplateValue left, TemplateValue right)
    {
        var isFloat = left is FloatValue || right is FloatValue;
        if (op is "<" or "<=" or ">" or ">=")
        {
            var order = isFloat ? ToDouble(left).CompareTo(ToDouble(right)) : ToLong(left).CompareTo(ToLong(right));
            return BoolValue.Of(Compare(op, order));
        }

        if (op == "/")
        {
            var divisor = ToDouble(right);
            return divisor == 0
                ? throw new TemplateRuntimeError("division by zero")
                : new FloatValue(ToDouble(left) / divisor);
        }

        if (op == "**")
        {
            return Power(left, right, isFloat);
        }

        if (isFloat)
        {
            var a = ToDouble(left);
            var b = ToDouble(right);
            return new FloatValue(op switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                "//" => b == 0 ? throw new TemplateRuntimeError("division by zero") : Math.Floor(a / b),
                "%" => b == 0 ? throw new TemplateRuntimeError("modulo by zero") : FloorModulo(a, b),
                _ => throw new TemplateRuntimeError($"unsupported operator '{op}'"),
            });
        }

        var x = ToLong(left);
        var y = ToLong(right);
        try
        {
            return new IntValue(op switch
            {
                "+" => checked(x + y),
                "-" => checked(x - y),
                "*" => checked(x * y),
                "//" => y == 0 ? throw new TemplateRuntimeError("division by zero") : FloorDivide(x, y),
                "%" => y == 0 ? throw new TemplateRuntimeError("modulo by zero") : FloorModulo(x, y),
                _ => throw new TemplateRuntimeError($"unsupported operator '{op}'"),
            });
        }
        catch (OverflowException)
        {
            throw new TemplateRuntimeError("integer overflow");
        }
    }

    private static TemplateValue Power(TemplateValue left, TemplateValue right, bool isFloat)
    {
        var exponent = ToDouble(right);
        if (ToDouble(left) == 0 && exponent < 0)
        {
            throw new TemplateRuntimeError("0 cannot be raised to a negative power");
        }

        if (!isFloat && exponent >= 0)
        {
            var result = BigInteger.Pow(ToLong(left), (int)Math.Min(ToLong(right), 4096));
            return result >= long.MinValue && result <= long.MaxValue
                ? new IntValue((long)result)
                : throw new TemplateRuntimeError("integer overflow");
        }

        var power = Math.Pow(ToDouble(left), exponent);
        return double.IsFinite(power)
            ? new FloatValue(power)
            : throw new TemplateRuntimeError("power result is not a finite real number");
    }

    private static bool Compare(string op, int order) => op switch
    {
        "<" => order < 0,
        "<=" => order <= 0,
        ">" => order > 0,
        _ => order >= 0,
    };

    private static long FloorDivide(long a, long b)
    {
        if (a == long.MinValue && b == -1)
        {
            throw new TemplateRuntimeError("integer overflow");
        }

        var quotient = a / b;
        return a % b != 0 && (a < 0) != (b < 0) ? quotient - 1 : quotient;
    }

    private static long FloorModulo(long a, long b)
    {
        var remainder = b == -1 ? 0 : a % b;
        return remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder;
    }

    private static double FloorModulo(double a, double b)
    {
        var remainder = a % b;
        return remainder != 0 && (remainder < 0) != (b < 0) ? remainder + b : remainder;
    }

    private static StringValue Repeat(string text, long count)
    {
        if (count <= 0 || text.Length == 0)
        {
            return StringValue.Empty;
        }

        if (count * text.Length > 10_000_000)
        {
            throw new TemplateRuntimeError("string repetition result is too large");
        }

        return new StringValue(new StringBuilder(text.Length * (int)count).Insert(0, text, (int)count).ToString());
    }

    private static long Negate(long value) =>
        value == long.MinValue ? throw new TemplateRuntimeError("integer overflow") : -value;
}
