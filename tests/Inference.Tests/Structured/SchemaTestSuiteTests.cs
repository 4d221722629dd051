using System.Text.Json;
using Appliance.Inference.Structured;
using Appliance.TestSupport;
using Xunit.Abstractions;

namespace Appliance.Inference.Tests.Structured;

/// <summary>
/// Differential against the JSON-Schema Test Suite (npm json-schema-test-suite 0.0.10, draft 4, required tests; the
/// optional ones test formats and float spellings). Every instance is fed to the matcher whole, in canonical compact
/// form (<see cref="CanonicalJson"/>: no whitespace, sorted keys, minimal string escapes, integral numbers as integers);
/// the matcher must accept exactly the valid ones. A schema the compiler refuses must be refused, never half-matched.
/// </summary>
public sealed class SchemaTestSuiteTests(ITestOutputHelper output)
{
    private static string Draft4 => RepoPaths.Combine("tests", "oracles", "node_modules", "json-schema-test-suite", "tests", "draft4");

    [Fact]
    public void Matcher_agrees_with_every_supported_case_and_refuses_the_rest()
    {
        int agreed = 0, refusedCases = 0, refusedSchemas = 0, schemas = 0;
        var disagreements = new List<string>();
        var refusals = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Draft4, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var group in document.RootElement.EnumerateArray())
            {
                schemas++;
                var tests = group.GetProperty("tests");
                JsonGrammar grammar;
                try
                {
                    grammar = JsonGrammar.FromSchema(group.GetProperty("schema"));
                }
                catch (SchemaNotSupportedException refused)
                {
                    Assert.False(string.IsNullOrEmpty(refused.Keyword));
                    Assert.StartsWith("$", refused.Path, StringComparison.Ordinal);
                    refusedSchemas++;
                    refusedCases += tests.GetArrayLength();
                    refusals[refused.Keyword] = refusals.GetValueOrDefault(refused.Keyword) + 1;
                    output.WriteLine($"refused {Path.GetFileName(file)} / {group.GetProperty("description").GetString()}: {refused.Message}");
                    continue;
                }

                foreach (var test in tests.EnumerateArray())
                {
                    var instance = CanonicalJson.Serialize(test.GetProperty("data"));
                    var expected = test.GetProperty("valid").GetBoolean();
                    if (grammar.Matches(instance) == expected)
                    {
                        agreed++;
                    }
                    else
                    {
                        disagreements.Add($"{Path.GetFileName(file)}: {group.GetProperty("description").GetString()} / {test.GetProperty("description").GetString()} ({System.Text.Encoding.UTF8.GetString(instance)} should be {(expected ? "accepted" : "rejected")})");
                    }
                }
            }
        }

        output.WriteLine($"{schemas} schemas: {schemas - refusedSchemas} compiled, {refusedSchemas} refused ({refusedCases} cases).");
        output.WriteLine($"{agreed} cases agree, {disagreements.Count} disagree.");
        output.WriteLine("Refused by keyword: " + string.Join(", ", refusals.Select(r => $"{r.Key} {r.Value}")));
        foreach (var line in disagreements)
        {
            output.WriteLine(line);
        }

        Assert.Empty(disagreements);
        Assert.True(agreed >= 115, $"only {agreed} cases were checked");
    }
}
