using Appliance.Inference.Templates;

namespace Appliance.Inference.Tests.Templates;

/// <summary>One case rendered by both sides.</summary>
internal sealed record DifferentialOutcome(string Suite, string Id, bool ExpectedValid, OracleResult Reference, OracleResult Ours);

/// <summary>
/// Builds every differential case (generated conversations for the real templates, the feature corpus), renders
/// them with the reference in a single Node run and with our engine, and keeps both results for the tests.
/// </summary>
public sealed class OracleRun
{
    public OracleRun()
    {
        var suites = ChatTemplateSuites.Build();
        suites.AddRange(FeatureCorpus.Suites());
        suites.AddRange(WhitespaceFuzz.Suites());
        var templates = suites.ToDictionary(suite => suite.Name, suite => suite.Source);
        var cases = suites.SelectMany(suite => suite.Cases).ToList();
        var reference = JinjaOracle.Run(templates, cases);

        foreach (var suite in suites)
        {
            ChatTemplate? template = null;
            TemplateException? parseError = null;
            try
            {
                template = ChatTemplate.Parse(suite.Source);
            }
            catch (TemplateException error)
            {
                parseError = error;
            }

            Outcomes[suite.Name] = [.. suite.Cases.Select(c => new DifferentialOutcome(
                suite.Name,
                c.Id,
                !suite.Invalid.Contains(c.Id),
                reference[c.Id],
                TemplateContexts.Render(c.Id, template, parseError, c.Context)))];
        }
    }

    internal Dictionary<string, List<DifferentialOutcome>> Outcomes { get; } = [];
}
