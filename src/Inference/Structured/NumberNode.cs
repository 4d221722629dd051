namespace Appliance.Inference.Structured;

/// <summary>
/// A JSON number, or with <see cref="IsInteger"/> an integer in [Minimum, Maximum]. Digit counts are bounded so a
/// sampler can never write digits forever: 18 before the point (19 with the sign), 18 after it, 3 in an exponent.
/// </summary>
internal sealed class NumberNode : GrammarNode
{
    public const int MaxIntegerDigits = 18;
    public const int MaxFractionDigits = 18;
    public const int MaxExponentDigits = 3;

    private static readonly long[] Powers = BuildPowers();

    public bool IsInteger { get; init; }

    public long Minimum { get; init; } = -(Powers[MaxIntegerDigits] - 1);

    public long Maximum { get; init; } = Powers[MaxIntegerDigits] - 1;

    public override JsonKinds Kinds => IsInteger ? JsonKinds.Integer : JsonKinds.Number;

    public override int ComputeMinLength()
    {
        if (!IsInteger)
        {
            return 1;
        }

        var positive = DigitsAfterSign(negative: false);
        var negative = DigitsAfterSign(negative: true);
        return Math.Min(positive < 0 ? Unreachable : positive, negative < 0 ? Unreachable : negative + 1);
    }

    /// <summary>Whether an integer written so far as <paramref name="value"/> (<paramref name="negative"/>) is in range.</summary>
    public bool Contains(bool negative, long value) => (negative ? -value : value) is var v && v >= Minimum && v <= Maximum;

    /// <summary>
    /// The fewest digits to append to an integer written so far (<paramref name="digits"/> of them, ≥ 1) so it lands
    /// in range: 0 when it already is, -1 when it never can.
    /// </summary>
    public int Reach(bool negative, long value, int digits)
    {
        for (var more = 0; digits + more <= MaxIntegerDigits; more++)
        {
            if (more > 0 && value == 0)
            {
                return -1;
            }

            var low = value * Powers[more];
            var high = low + Powers[more] - 1;
            if (Intersects(negative ? -high : low, negative ? -low : high))
            {
                return more;
            }
        }

        return -1;
    }

    /// <summary>The fewest digits of an integer in range with the given sign, or -1 when none has it.</summary>
    public int DigitsAfterSign(bool negative)
    {
        for (var digits = 1; digits <= MaxIntegerDigits; digits++)
        {
            var low = digits == 1 ? 0 : Powers[digits - 1];
            var high = Powers[digits] - 1;
            if (Intersects(negative ? -high : low, negative ? -low : high))
            {
                return digits;
            }
        }

        return -1;
    }

    private bool Intersects(long low, long high) => Math.Max(low, Minimum) <= Math.Min(high, Maximum);

    private static long[] BuildPowers()
    {
        var powers = new long[MaxIntegerDigits + 1];
        powers[0] = 1;
        for (var i = 1; i < powers.Length; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
