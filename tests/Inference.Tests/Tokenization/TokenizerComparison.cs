using System.Text.Encodings.Web;
using System.Text.Json;
using Appliance.Inference.Tokenization;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// Compares our tokenizer with the reference's answers for a batch: ids with and without special tokens, and both
/// decodes, for every text and id list. Keeps the first few differences, with both sides, for the failure message.
/// </summary>
public sealed class TokenizerComparison
{
    private const int ReportedFailures = 5;

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<string> _reported = [];

    public int Failures { get; private set; }

    public string Report => string.Join("\n", _reported);

    public static TokenizerComparison Run(
        Tokenizer tokenizer, IReadOnlyList<string> texts, IReadOnlyList<int[]> idLists, ReferenceTokenizer.ReferenceResponse reference)
    {
        var comparison = new TokenizerComparison();
        for (var i = 0; i < texts.Count; i++)
        {
            var expected = reference.Texts[i];
            var problems = new List<string>();
            CompareIds(problems, "ids", tokenizer.Encode(texts[i], addSpecialTokens: true), expected.Ids);
            CompareIds(problems, "ids without special tokens", tokenizer.Encode(texts[i], addSpecialTokens: false), expected.IdsWithoutSpecial);
            CompareText(problems, "decode", tokenizer.Decode(expected.Ids), expected.Decoded);
            CompareText(problems, "decode skipping special tokens", tokenizer.Decode(expected.Ids, skipSpecialTokens: true), expected.DecodedSkipSpecial);
            comparison.Record($"text {Show(texts[i])}", problems);
        }

        for (var i = 0; i < idLists.Count; i++)
        {
            var problems = new List<string>();
            CompareText(problems, "decode", tokenizer.Decode(idLists[i]), reference.IdLists[i].Decoded);
            CompareText(problems, "decode skipping special tokens", tokenizer.Decode(idLists[i], skipSpecialTokens: true), reference.IdLists[i].DecodedSkipSpecial);
            comparison.Record($"ids {Show(idLists[i])}", problems);
        }

        return comparison;
    }

    public static string Show(string text) => JsonSerializer.Serialize(text, Readable);

    public static string Show(IEnumerable<int> ids) => "[" + string.Join(", ", ids) + "]";

    private static void CompareIds(List<string> problems, string what, int[] ours, int[] reference)
    {
        if (ours.SequenceEqual(reference))
        {
            return;
        }

        var at = 0;
        while (at < ours.Length && at < reference.Length && ours[at] == reference[at])
        {
            at++;
        }

        problems.Add($"{what} (first difference at index {at})\n    ours      {Show(ours)}\n    reference {Show(reference)}");
    }

    private static void CompareText(List<string> problems, string what, string ours, string reference)
    {
        if (ours != reference)
        {
            problems.Add($"{what}\n    ours      {Show(ours)}\n    reference {Show(reference)}");
        }
    }

    private void Record(string subject, List<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        if (Failures++ < ReportedFailures)
        {
            _reported.Add($"- {subject}\n  " + string.Join("\n  ", problems));
        }
    }
}
