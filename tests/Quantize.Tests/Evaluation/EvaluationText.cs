using Appliance.Quantize.Synthetic;

namespace Appliance.Quantize.Tests.Evaluation;

/// <summary>A text long enough to score 2,000 positions in 256-token windows with the synthetic tokenizer.</summary>
internal static class EvaluationText
{
    public static string Write(string directory, int repetitions = 24)
    {
        var path = Path.Combine(directory, "eval.txt");
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, repetitions).Select(i => $"Part {i}.\n{TrainingCorpus.Text}\n")));
        return path;
    }
}
