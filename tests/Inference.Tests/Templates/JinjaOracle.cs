using System.Diagnostics;
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
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

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

        var oracles = RepoPaths.Combine("tests", "oracles");
        var start = new ProcessStartInfo(FindNode())
        {
            WorkingDirectory = oracles,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(oracles, "jinja-oracle.mjs"));
        start.ArgumentList.Add(input);
        start.ArgumentList.Add(output);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"jinja-oracle.mjs did not finish within {Timeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"jinja-oracle.mjs exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }

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

    /// <summary>Node from $NODE, else the first node on $PATH.</summary>
    private static string FindNode()
    {
        var configured = Environment.GetEnvironmentVariable("NODE");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "node.exe" : "node");
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "Node.js not found on PATH; the chat template differential tests need it (or set NODE=/path/to/node).");
    }
}
