using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Templates;

/// <summary>One case for the reference renderer: a named template and the variables it renders with.</summary>
internal sealed record OracleCase(string Id, string Template, JsonObject Context);

/// <summary>What the reference did with a case: rendered text, or the stage and message of its error.</summary>
internal sealed record OracleResult(string Id, bool Ok, string? Text, string? Stage, string? Error);

/// <summary>
/// Runs @huggingface/jinja (tests/oracles/jinja-oracle.mjs) once over a whole batch of cases: one JSON file in,
/// one out, so a test run starts Node a single time.
/// </summary>
internal static class JinjaOracle
{
    public static Dictionary<string, OracleResult> Run(IReadOnlyDictionary<string, string> templates, IReadOnlyList<OracleCase> cases)
    {
        using var directory = new TempDirectory("jinja-oracle");
        var input = directory.Combine("batch.json");
        var output = directory.Combine("results.json");
        var batch = new JsonObject
        {
            ["templates"] = new JsonObject(templates.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
            ["cases"] = new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["template"] = c.Template,
                ["context"] = c.Context.DeepClone(),
            })]),
        };
        File.WriteAllText(input, batch.ToJsonString());

        NodeScript.Run("jinja-oracle.mjs", input, output);

        using var document = JsonDocument.Parse(File.ReadAllText(output));
        return document.RootElement.GetProperty("results").EnumerateArray()
            .Select(result => new OracleResult(
                result.GetProperty("id").GetString()!,
                result.GetProperty("ok").GetBoolean(),
                Text(result),
                result.TryGetProperty("stage", out var stage) ? stage.GetString() : null,
                result.TryGetProperty("error", out var error) ? error.GetString() : null))
            .ToDictionary(result => result.Id);
    }

    private static string? Text(JsonElement result)
    {
        if (result.TryGetProperty("units", out var units))
        {
            return new string([.. units.EnumerateArray().Select(unit => (char)unit.GetInt32())]);
        }

        return result.TryGetProperty("text", out var text) ? text.GetString() : null;
    }
}
