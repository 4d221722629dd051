using System.Diagnostics;
using Microsoft.ML.OnnxRuntimeGenAI;

namespace Appliance.Benchmarks.Peer;

/// <summary>
/// Times ONNX Runtime GenAI the way <see cref="GenerationBenchmark"/> times our generator: the same prompt ids, one
/// short warm-up run, then the measured runs, each generating exactly the requested tokens greedily. AppendTokens is
/// the prefill (GenAI runs the prompt through the model there); the first GenerateNextToken only chooses the first
/// token from those logits; every later GenerateNextToken is one decode step (forward pass over one token + choice).
/// </summary>
internal static class GenAiBenchmark
{
    public static GenAiMeasurement Run(Model model, int vocabSize, IReadOnlyList<int> stopTokens, int promptTokens, int generatedTokens, int repetitions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(generatedTokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repetitions);
        var prompt = BenchmarkPrompt.Create(promptTokens, vocabSize, stopTokens);
        var counter = new AllocationCounter(generatedTokens);
        RunOnce(model, prompt, Math.Min(generatedTokens, 4), new GenerationTally(promptTokens), counter);

        var tally = new GenerationTally(promptTokens);
        var setup = TimeSpan.Zero;
        for (var run = 0; run < repetitions; run++)
        {
            setup += RunOnce(model, prompt, generatedTokens, tally, counter);
        }

        return new GenAiMeasurement(tally.Measurement, setup.TotalMilliseconds / repetitions);
    }

    /// <returns>The time creating the generator took (GenAI allocates the KV cache per generator).</returns>
    private static TimeSpan RunOnce(Model model, int[] prompt, int generatedTokens, GenerationTally tally, AllocationCounter counter)
    {
        var setupStart = Stopwatch.GetTimestamp();
        using var parameters = new GeneratorParams(model);
        parameters.SetSearchOption("do_sample", false);

        // End-of-sequence stays masked until the last token, so every run does the same work, as ours with no stop
        // tokens. max_length stays genai_config's (the context length): GenAI then sizes its KV cache as ours does.
        parameters.SetSearchOption("min_length", prompt.Length + generatedTokens);
        using var generator = new Generator(model, parameters);
        var setup = Stopwatch.GetElapsedTime(setupStart);

        counter.Restart();
        var start = Stopwatch.GetTimestamp();
        generator.AppendTokens(prompt);
        var prefill = Stopwatch.GetElapsedTime(start);
        generator.GenerateNextToken();
        var timeToFirstToken = Stopwatch.GetElapsedTime(start);
        counter.Record(generator.GetNextTokens()[0]);

        var steps = new TimeSpan[generatedTokens - 1];
        for (var token = 1; token < generatedTokens; token++)
        {
            var stepStart = Stopwatch.GetTimestamp();
            generator.GenerateNextToken();
            steps[token - 1] = Stopwatch.GetElapsedTime(stepStart);
            counter.Record(generator.GetNextTokens()[0]);
        }

        var length = (int)generator.TokenCount();
        if (length != prompt.Length + generatedTokens)
        {
            throw new InvalidOperationException($"GenAI's sequence is {length} tokens long after the run; expected {prompt.Length} + {generatedTokens}.");
        }

        tally.Add(prefill, timeToFirstToken, steps, counter.BytesPerSteadyToken);
        return setup;
    }
}
