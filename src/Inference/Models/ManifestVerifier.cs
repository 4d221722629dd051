namespace Appliance.Inference.Models;

/// <summary>Checks that the files of a model directory are exactly the ones its manifest vouches for.</summary>
public static class ManifestVerifier
{
    /// <summary>Loads manifest.json and checks every listed file's presence, size and SHA-256.</summary>
    public static void Verify(string directory) => Verify(directory, ModelManifest.Load(directory), verifyHashes: true);

    /// <summary>
    /// Checks presence and size of every listed file and, when <paramref name="verifyHashes"/>, its SHA-256.
    /// Reports every bad file at once. Sizes are checked before any hashing so a truncated file fails fast.
    /// </summary>
    public static void Verify(string directory, ModelManifest manifest, bool verifyHashes)
    {
        var problems = new List<string>();
        var sized = CheckSizes(directory, manifest, problems);
        if (verifyHashes)
        {
            problems.AddRange(HashProblems(sized));
        }

        ThrowIfAny(problems);
    }

    /// <summary>
    /// Checks presence and size of every listed file now (throwing on any problem) and returns their SHA-256 check
    /// running on a thread of its own: it completes when every hash matches and faults with a
    /// <see cref="ModelDirectoryException"/> naming each mismatch otherwise.
    /// </summary>
    public static Task StartHashCheck(string directory, ModelManifest manifest)
    {
        var problems = new List<string>();
        var sized = CheckSizes(directory, manifest, problems);
        ThrowIfAny(problems);
        return VerifyingLoader.StartOnOwnThread(() => ThrowIfAny(HashProblems(sized)));
    }

    private static List<(ManifestFile Entry, string FullPath)> CheckSizes(string directory, ModelManifest manifest, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        var sized = new List<(ManifestFile Entry, string FullPath)>();
        foreach (var entry in manifest.Files)
        {
            var full = ModelRelativePath.Resolve(directory, entry.Path, manifestPath, "file");
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                problems.Add($"{full}: file listed in {ModelManifest.FileName} is missing");
            }
            else if (info.Length != entry.Size)
            {
                problems.Add($"{full}: size mismatch, {ModelManifest.FileName} expects {entry.Size} bytes, found {info.Length}");
            }
            else
            {
                sized.Add((entry, full));
            }
        }

        return sized;
    }

    private static IEnumerable<string> HashProblems(List<(ManifestFile Entry, string FullPath)> sized) =>
        sized.Select(file => (file.Entry, file.FullPath, Actual: FileSha256.Compute(file.FullPath)))
            .Where(file => !string.Equals(file.Actual, file.Entry.Sha256, StringComparison.Ordinal))
            .Select(file => $"{file.FullPath}: SHA-256 mismatch, {ModelManifest.FileName} expects {file.Entry.Sha256}, found {file.Actual}");

    private static void ThrowIfAny(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new ModelDirectoryException(string.Join("; ", problems));
        }
    }

    private static void ThrowIfAny(IEnumerable<string> problems) => ThrowIfAny(problems.ToList());
}
