using Appliance.Inference.Generation;

namespace Appliance.Benchmarks;

/// <summary>
/// The fixed pseudo-random prompt of every generation benchmark, so two engines measured on one model read the very
/// same ids. Ids are uniform over the vocabulary but skip the stop tokens, which some engines would end on.
/// </summary>
internal static class BenchmarkPrompt
{
    private const ulong Seed = 20240601;

    public static int[] Create(int length, int vocabSize, IReadOnlyList<int> stopTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        ArgumentNullException.ThrowIfNull(stopTokens);
        var random = new DeterministicRandom(Seed);
        var prompt = new int[length];
        for (var i = 0; i < length; i++)
        {
            int id;
            do
            {
                id = (int)(random.NextUInt64() % (ulong)vocabSize);
            }
            while (stopTokens.Contains(id) && vocabSize > stopTokens.Count);

            prompt[i] = id;
        }

        return prompt;
    }
}
