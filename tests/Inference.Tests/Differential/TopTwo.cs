namespace Appliance.Inference.Tests.Differential;

/// <summary>The reference's greedy choice at one position and how clearly it wins.</summary>
internal readonly record struct TopTwo(int ArgMax, double Gap)
{
    public static TopTwo Of(double[] logits)
    {
        double best = double.NegativeInfinity, second = double.NegativeInfinity;
        var argMax = -1;
        for (var i = 0; i < logits.Length; i++)
        {
            if (logits[i] > best)
            {
                second = best;
                best = logits[i];
                argMax = i;
            }
            else if (logits[i] > second)
            {
                second = logits[i];
            }
        }

        return new TopTwo(argMax, best - second);
    }
}
