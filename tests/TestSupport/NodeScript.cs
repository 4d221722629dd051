namespace Appliance.TestSupport;

/// <summary>Runs one of the reference scripts in tests/oracles with Node (found on PATH, or via $NODE).</summary>
public static class NodeScript
{
    public static string OraclesDirectory => RepoPaths.Combine("tests", "oracles");

    /// <summary>Runs <c>node tests/oracles/{script} {arguments}</c>; returns stdout, or throws with stderr.</summary>
    public static string Run(string script, params string[] arguments) =>
        ChildProcess.Run(FindNode(), [Path.Combine(OraclesDirectory, script), .. arguments], workingDirectory: OraclesDirectory);

    private static string FindNode()
    {
        if (Environment.GetEnvironmentVariable("NODE") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "node");
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("node is not on PATH (set NODE to its path); the reference implementations run on it.");
    }
}
