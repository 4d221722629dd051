using Appliance.Inference.Generation;

namespace Appliance.Benchmarks;

/// <summary>
/// Times prefill and decode on the <see cref="BenchmarkPrompt"/>: one warm-up run, then the measured repetitions, each
/// generating exactly the requested tokens (stop tokens are ignored so every run does the same work).
/// </summary>
internal static class GenerationBenchmark
{
    public static GenerationMeasurement Run(Generator generator, int promptTokens, int generatedTokens, int repetitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(promptTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generatedTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repetitions);
        var prompt = BenchmarkPrompt.Create(promptTokens, generator.Decoder.VocabSize, generator.DefaultStopTokenIds);
        var options = new GenerationOptions { MaxNewTokens = generatedTokens, StopTokenIds = [] };
        generator.Generate(prompt, options with { MaxNewTokens = Math.Min(generatedTokens, 4) }, cancellationToken: cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

        var tally = new GenerationTally(promptTokens);
        var counter = new AllocationCounter(generatedTokens);
        for (var run = 0; run < repetitions; run++)
        {
            counter.Restart();
            var timings = generator.Generate(prompt, options, counter.Record, cancellationToken).Timings;

            // A cancelled run returns what it did; its figures would skew the tally.
            cancellationToken.ThrowIfCancellationRequested();
            tally.Add(timings.Prefill, timings.TimeToFirstToken, timings.DecodeSteps, counter.BytesPerSteadyToken);
        }

        return tally.Measurement;
    }
}
