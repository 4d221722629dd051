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
        ArgumentNullException.ThrowIfNull(manifest);
        var manifestPath = Path.Combine(directory, ModelManifest.FileName);
        var problems = new List<string>();
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

        if (verifyHashes)
        {
            foreach (var (entry, full) in sized)
            {
                var actual = FileSha256.Compute(full);
                if (!string.Equals(actual, entry.Sha256, StringComparison.Ordinal))
                {
                    problems.Add($"{full}: SHA-256 mismatch, {ModelManifest.FileName} expects {entry.Sha256}, found {actual}");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new ModelDirectoryException(string.Join("; ", problems));
        }
    }
}
