using System.Text.RegularExpressions;
using Appliance.TestSupport;

namespace Appliance.Tests;

/// <summary>
/// Keeps src/Appliance readable as rooms: each folder is one namespace named after it, and no two folders depend on
/// each other, directly or round a longer loop (a dependency is a `using Appliance.X;` or an `Appliance.X.` name).
/// </summary>
public sealed partial class FolderLayoutTests
{
    private static readonly string SourceRoot = RepoPaths.Combine("src", "Appliance");

    [Fact]
    public void Every_folder_is_one_namespace_named_after_it()
    {
        var wrong = Folders()
            .SelectMany(folder => SourceFiles(folder).Select(file => (folder, file, ns: NamespaceOf(File.ReadAllText(file)))))
            .Where(x => x.ns != $"Appliance.{x.folder}")
            .Select(x => $"{Path.GetRelativePath(SourceRoot, x.file)}: namespace {x.ns}")
            .ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void No_folder_depends_on_itself_through_others()
    {
        var cycle = FindCycle(Dependencies());

        Assert.True(cycle is null, $"folders of src/Appliance depend on each other: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void The_request_pipeline_knows_no_front_door()
    {
        // MQTT, HTTP and the panel feed one pipeline: it may use the contract, the engine and the state board only.
        var used = Dependencies()["Pipeline"].Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["Contract", "Engine", "State"], used);
    }

    [Fact]
    public void A_cycle_is_found_and_named_round_a_longer_loop()
    {
        var graph = new Dictionary<string, IReadOnlySet<string>>
        {
            ["Cli"] = new HashSet<string> { "Hosting" },
            ["Hosting"] = new HashSet<string> { "Pipeline" },
            ["Pipeline"] = new HashSet<string> { "Contract" },
            ["Contract"] = new HashSet<string> { "Hosting" },
        };

        Assert.Equal(["Hosting", "Pipeline", "Contract", "Hosting"], FindCycle(graph));
        Assert.Null(FindCycle(new Dictionary<string, IReadOnlySet<string>> { ["Cli"] = new HashSet<string> { "Hosting" }, ["Hosting"] = new HashSet<string>() }));
    }

    private static Dictionary<string, IReadOnlySet<string>> Dependencies()
    {
        var folders = Folders().ToHashSet();
        return folders.ToDictionary(
            folder => folder,
            folder => (IReadOnlySet<string>)SourceFiles(folder)
                .SelectMany(file => ApplianceName().Matches(File.ReadAllText(file)).Select(match => match.Groups["folder"].Value))
                .Where(used => used != folder && folders.Contains(used))
                .ToHashSet());
    }

    /// <summary>The first loop met in a depth-first walk, as folder names from its start back to it; null when none.</summary>
    private static List<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlySet<string>> graph)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        List<string>? Visit(string folder)
        {
            if (path.IndexOf(folder) is var at and >= 0)
            {
                return [.. path[at..], folder];
            }

            if (!done.Add(folder))
            {
                return null;
            }

            path.Add(folder);
            foreach (var next in graph.GetValueOrDefault(folder, new HashSet<string>()).Order(StringComparer.Ordinal))
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }
    }

    private static IEnumerable<string> Folders() =>
        Directory.GetDirectories(SourceRoot)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj"));

    private static string[] SourceFiles(string folder) => Directory.GetFiles(Path.Combine(SourceRoot, folder), "*.cs");

    private static string? NamespaceOf(string source) => FileNamespace().Match(source) is { Success: true } match ? match.Groups["ns"].Value : null;

    [GeneratedRegex(@"\bAppliance\.(?<folder>[A-Z]\w*)\b")]
    private static partial Regex ApplianceName();

    [GeneratedRegex(@"^namespace (?<ns>[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex FileNamespace();
}
