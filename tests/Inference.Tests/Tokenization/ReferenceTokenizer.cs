using System.Text.Json;
using System.Text.Json.Serialization;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// The reference JavaScript tokenizer (@huggingface/tokenizers), run once per batch through
/// tests/oracles/tokenizer-oracle.mjs: texts and id lists go in as JSON, ids and decoded text come back.
/// </summary>
public static class ReferenceTokenizer
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static ReferenceResponse Run(string tokenizerJson, string? tokenizerConfig, IReadOnlyList<string> texts, IReadOnlyList<int[]> idLists)
    {
        using var directory = new TempDirectory("tokenizer-oracle");
        var requestPath = directory.Combine("request.json");
        var responsePath = directory.Combine("response.json");
        var request = new ReferenceRequest(tokenizerJson, tokenizerConfig, texts, idLists);
        File.WriteAllText(requestPath, JsonSerializer.Serialize(request, Json));
        NodeScript.Run("tokenizer-oracle.mjs", requestPath, responsePath);
        return JsonSerializer.Deserialize<ReferenceResponse>(File.ReadAllText(responsePath), Json)
            ?? throw new InvalidOperationException("empty oracle response");
    }

    public sealed record ReferenceRequest(
        string Tokenizer,
        string? Config,
        IReadOnlyList<string> Texts,
        IReadOnlyList<int[]> IdLists);

    public sealed record ReferenceResponse(IReadOnlyList<EncodedText> Texts, IReadOnlyList<DecodedIds> IdLists);

    public sealed record EncodedText(int[] Ids, int[] IdsWithoutSpecial, string Decoded, string DecodedSkipSpecial);

    public sealed record DecodedIds(string Decoded, string DecodedSkipSpecial);
}
