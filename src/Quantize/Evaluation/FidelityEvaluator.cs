using Appliance.Inference.Models;
using Appliance.Inference.Tokenization;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Evaluation;

/// <summary>
/// Scores a text with a reference and a candidate model side by side, the way llama.cpp's perplexity tool does: the
/// tokens are cut into windows (each starting with the tokenizer's BOS prefix, if it adds one), each window is fed to
/// both models, and the second half of every window is scored, so each scored token has at least half a window of
/// context. Both models advance in lockstep, so only one batch of logits per model is held at a time.
/// </summary>
internal static class FidelityEvaluator
{
    /// <param name="progress">Called after each window with (positions scored, positions wanted or -1 for the whole text).</param>
    public static FidelityResult Evaluate(FidelityOptions options, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Positions is < 1)
        {
            throw new EvaluationException($"--tokens must be at least 1, got {options.Positions}.");
        }

        if (options.Window < 4)
        {
            throw new EvaluationException($"--context must be at least 4 tokens, got {options.Window}.");
        }

        var text = ReadText(options.TextPath);
        var tokenizer = LoadTokenizer(options.ReferenceDirectory, options.CandidateDirectory);
        var prefix = tokenizer.Encode(string.Empty, addSpecialTokens: true);
        var tokens = tokenizer.Encode(text, addSpecialTokens: false);

        using var reference = ModelScorer.Open(options.ReferenceDirectory, options.Threads, options.Window);
        using var candidate = ModelScorer.Open(options.CandidateDirectory, options.Threads, options.Window);
        if (reference.VocabSize != candidate.VocabSize)
        {
            throw new EvaluationException(
                $"{options.ReferenceDirectory} has a vocabulary of {reference.VocabSize} tokens but {options.CandidateDirectory} has {candidate.VocabSize}; compare models of the same checkpoint.");
        }

        var window = Math.Min(options.Window, Math.Min(reference.Capacity, candidate.Capacity));
        var textPerWindow = window - prefix.Length;
        if (textPerWindow < 2)
        {
            throw new EvaluationException($"A window of {window} tokens leaves no room for text after the {prefix.Length}-token prefix; raise --context.");
        }

        var wanted = options.Positions ?? int.MaxValue;
        var statistics = new DivergenceStatistics();
        var windows = 0;
        var vocab = reference.VocabSize;
        var referenceLogits = new float[ModelScorer.BatchTokens * vocab];
        var candidateLogits = new float[ModelScorer.BatchTokens * vocab];
        var windowTokens = new int[window];
        for (var start = 0; start + 1 < tokens.Length && statistics.Count < wanted; start += textPerWindow)
        {
            var length = prefix.Length + Math.Min(textPerWindow, tokens.Length - start);
            prefix.CopyTo(windowTokens, 0);
            Array.Copy(tokens, start, windowTokens, prefix.Length, length - prefix.Length);
            ScoreWindow(windowTokens.AsSpan(0, length), reference, candidate, statistics, wanted, referenceLogits, candidateLogits);
            windows++;
            progress?.Invoke(statistics.Count, options.Positions ?? -1);
        }

        if (statistics.Count < wanted && options.Positions is { } positions)
        {
            throw new EvaluationException(
                $"{options.TextPath} gives only {statistics.Count} scorable positions ({tokens.Length} tokens in windows of {window}, the second half of each scored); "
                + $"--tokens {positions} needs about {(long)positions * 2} tokens of text.");
        }

        if (statistics.Count == 0)
        {
            throw new EvaluationException($"{options.TextPath} is too short to score: it has {tokens.Length} tokens.");
        }

        IReadOnlyDictionary<string, string> referenceRecipe = reference.Model.Manifest?.Recipe ?? new Dictionary<string, string>();
        IReadOnlyDictionary<string, string> candidateRecipe = candidate.Model.Manifest?.Recipe ?? new Dictionary<string, string>();
        return new FidelityResult(
            options,
            statistics.Summarize(),
            window,
            windows,
            reference.Batched,
            candidate.Batched,
            reference.Busy,
            candidate.Busy,
            candidateRecipe,
            SyntheticNotice(referenceRecipe) ?? SyntheticNotice(candidateRecipe),
            QuantizationReport.TryLoad(options.CandidateDirectory));
    }

    private static void ScoreWindow(
        ReadOnlySpan<int> window, ModelScorer reference, ModelScorer candidate, DivergenceStatistics statistics, int wanted,
        float[] referenceLogits, float[] candidateLogits)
    {
        // Logits at position p predict token p + 1; positions firstScored - 1 .. n - 2 predict the second half.
        var firstScored = window.Length / 2;
        var vocab = reference.VocabSize;
        reference.Reset();
        candidate.Reset();
        var context = window[..(firstScored - 1)];
        if (!context.IsEmpty)
        {
            reference.Feed(context, default);
            candidate.Feed(context, default);
        }

        for (var position = firstScored - 1; position < window.Length - 1 && statistics.Count < wanted; position += ModelScorer.BatchTokens)
        {
            var count = Math.Min(Math.Min(ModelScorer.BatchTokens, window.Length - 1 - position), wanted - statistics.Count);
            var batch = window.Slice(position, count);
            reference.Feed(batch, referenceLogits.AsSpan(0, count * vocab));
            candidate.Feed(batch, candidateLogits.AsSpan(0, count * vocab));
            for (var i = 0; i < count; i++)
            {
                statistics.Add(referenceLogits.AsSpan(i * vocab, vocab), candidateLogits.AsSpan(i * vocab, vocab), window[position + i + 1]);
            }
        }
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EvaluationException($"{path}: cannot read the text to score ({e.Message}).", e);
        }
    }

    // Divergence between two models only means something if they read the same token ids.
    private static Tokenizer LoadTokenizer(string reference, string candidate)
    {
        const string FileName = "tokenizer.json";
        var referencePath = Path.Combine(reference, FileName);
        if (!File.Exists(referencePath))
        {
            throw new EvaluationException($"{referencePath} not found: the reference model directory needs its tokenizer to tokenize the text.");
        }

        var candidatePath = Path.Combine(candidate, FileName);
        if (File.Exists(candidatePath) && FileSha256.Compute(candidatePath) != FileSha256.Compute(referencePath))
        {
            throw new EvaluationException($"{candidatePath} differs from {referencePath}: the two models tokenize differently, so their logits cannot be compared.");
        }

        return Tokenizer.FromDirectory(reference);
    }

    private static string? SyntheticNotice(IReadOnlyDictionary<string, string> recipe) =>
        recipe.TryGetValue(ModelConverter.SyntheticWeightsKey, out var notice) ? notice : null;
}
