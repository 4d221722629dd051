using System.Diagnostics;
using System.Text;
using Appliance.Inference.Generation;
using Appliance.Inference.Structured;
using Appliance.Inference.Tokenization;

namespace Appliance.Benchmarks;

/// <summary>
/// Times decoding under a JSON-schema constraint on the <see cref="BenchmarkPrompt"/>: one warm-up run, then the
/// measured runs, sampling at temperature 1 (seeded per run) so the output wanders through the grammar instead of
/// repeating one path; each run ends when the value is complete or at the token limit. The mask figures are for the
/// decode steps; the first mask of a request, which also sizes its buffers, is reported on its own.
/// </summary>
internal static class StructuredBenchmark
{
    public static StructuredMeasurement Run(
        Generator generator, Tokenizer tokenizer, string schemaPath, int promptTokens, int generatedTokens, int repetitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var start = Stopwatch.GetTimestamp();
        var vocabulary = TokenVocabulary.For(tokenizer);
        var vocabularyBuild = Stopwatch.GetElapsedTime(start);
        start = Stopwatch.GetTimestamp();
        var grammar = JsonGrammar.FromSchema(File.ReadAllText(schemaPath));
        var compile = Stopwatch.GetElapsedTime(start);

        var prompt = BenchmarkPrompt.Create(promptTokens, generator.Decoder.VocabSize, generator.DefaultStopTokenIds);
        var options = new GenerationOptions
        {
            MaxNewTokens = generatedTokens,
            TokenIdLimit = Math.Min(tokenizer.VocabularySize, generator.Decoder.VocabSize),
        };
        Generate(0);

        var decode = TimeSpan.Zero;
        var steps = 0;
        long maskTicks = 0, maxTicks = 0, maskedTokens = 0, firstTicks = 0;
        var complete = 0;
        double allocation = 0;
        var counter = new AllocationCounter(generatedTokens);
        for (var run = 1; run <= repetitions; run++)
        {
            counter.Restart();
            var (result, timed) = Generate((ulong)run, counter.Record);
            decode += result.Timings.Decode;
            steps += result.Timings.DecodeSteps.Length;
            maskTicks += timed.Ticks;
            maskedTokens += timed.Masks;
            maxTicks = Math.Max(maxTicks, timed.MaxTicks);
            firstTicks += timed.FirstTicks;
            allocation = Math.Max(allocation, counter.BytesPerSteadyToken);
            complete += result.FinishReason == FinishReason.EndOfSequence
                && grammar.Matches(Encoding.UTF8.GetBytes(tokenizer.Decode([.. result.Tokens]))) ? 1 : 0;
        }

        var maskSeconds = maskTicks / (double)Stopwatch.Frequency;
        return new StructuredMeasurement
        {
            Schema = schemaPath,
            VocabularySize = vocabulary.Size,
            VocabularyBuildMs = vocabularyBuild.TotalMilliseconds,
            CompileMs = compile.TotalMilliseconds,
            DecodeTokensPerS = steps / decode.TotalSeconds,
            FirstMaskUs = firstTicks * 1e6 / Stopwatch.Frequency / repetitions,
            MaskUsPerToken = maskedTokens == 0 ? 0 : maskSeconds * 1e6 / maskedTokens,
            MaskMaxUs = maxTicks * 1e6 / Stopwatch.Frequency,
            MaskFractionOfStep = maskedTokens == 0 ? 0 : maskSeconds / maskedTokens / (decode.TotalSeconds / steps),
            AllocBytesPerToken = allocation,
            CompleteOutputs = complete,
            Runs = repetitions,
        };

        (GenerationResult Result, TimedConstraint Timed) Generate(ulong seed, TokenCallback? onToken = null)
        {
            var timed = new TimedConstraint(new JsonConstraint(grammar, vocabulary));
            var result = generator.Generate(
                prompt,
                options with { Sampling = new SamplerSettings { Temperature = 1, Seed = seed }, Constraint = timed },
                onToken,
                cancellationToken);
            return (result, timed);
        }
    }
}
