using Appliance.Inference.Generation;

namespace Appliance.Benchmarks;

/// <summary>
/// Times prefill and decode on a fixed pseudo-random prompt: one warm-up run, then the measured repetitions, each
/// generating exactly the requested tokens (stop tokens are ignored so every run does the same work).
/// </summary>
internal static class GenerationBenchmark
{
    private const ulong PromptSeed = 20240601;

    public static GenerationMeasurement Run(Generator generator, int promptTokens, int generatedTokens, int repetitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generatedTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repetitions);
        var prompt = Prompt(promptTokens, generator.Decoder.VocabSize, generator.DefaultStopTokenIds);
        var options = new GenerationOptions { MaxNewTokens = generatedTokens, StopTokenIds = [] };
        generator.Generate(prompt, options with { MaxNewTokens = Math.Min(generatedTokens, 4) }, cancellationToken: cancellationToken);

        // Rates are total tokens over total time, so one slow run weighs in by its time, not by a distorted ratio.
        TimeSpan prefill = default, decode = default, firstToken = default;
        var decodeSteps = 0;
        double allocated = 0;
        var counter = new AllocationCounter(generatedTokens);
        for (var run = 0; run < repetitions; run++)
        {
            counter.Restart();
            var timings = generator.Generate(prompt, options, counter.Record, cancellationToken).Timings;
            prefill += timings.Prefill;
            decode += timings.Decode;
            decodeSteps += timings.DecodeSteps.Length;
            firstToken += timings.TimeToFirstToken;
            allocated = Math.Max(allocated, counter.BytesPerSteadyToken);
        }

        return new GenerationMeasurement(
            promptTokens * repetitions / prefill.TotalSeconds,
            decodeSteps > 0 ? decodeSteps / decode.TotalSeconds : 0,
            firstToken.TotalMilliseconds / repetitions,
            allocated);
    }

    private static int[] Prompt(int length, int vocabSize, IReadOnlyList<int> stopTokens)
    {
        var random = new DeterministicRandom(PromptSeed);
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

    /// <summary>Samples the thread's allocation counter at every token; steady state starts at the third token.</summary>
    private sealed class AllocationCounter(int capacity)
    {
        private const int SteadyFrom = 2;
        private readonly long[] _bytes = new long[capacity];
        private int _count;

        public double BytesPerSteadyToken =>
            _count > SteadyFrom + 1 ? (_bytes[_count - 1] - _bytes[SteadyFrom]) / (double)(_count - 1 - SteadyFrom) : 0;

        public void Restart() => _count = 0;

        public bool Record(int token)
        {
            _bytes[_count++] = GC.GetAllocatedBytesForCurrentThread();
            return true;
        }
    }
}
