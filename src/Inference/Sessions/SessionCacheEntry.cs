using System.IO.Hashing;
using Appliance.Inference.Models;

namespace Appliance.Inference.Sessions;

/// <summary>
/// entry.json of a session cache entry: the key it was built for and the size and XxHash128 of each of its files.
/// The check is against corruption (a power cut mid-write, a failing card), not tampering: whoever can write the cache
/// can rewrite this file too, so a cryptographic hash would buy nothing here. The model directory itself stays
/// SHA-256-checked against its manifest.
/// </summary>
public sealed class SessionCacheEntry
{
    public const string FileName = "entry.json";

    public string Key { get; set; } = string.Empty;

    public List<SessionCacheFile> Files { get; set; } = [];

    /// <summary>Records <paramref name="files"/> (relative to <paramref name="directory"/>) under <paramref name="key"/>.</summary>
    public static SessionCacheEntry Create(string directory, string key, IEnumerable<string> files) => new()
    {
        Key = key,
        Files = [.. files.Select(file => new SessionCacheFile(file, new FileInfo(Path.Combine(directory, file)).Length, Checksum(Path.Combine(directory, file))))],
    };

    /// <exception cref="ModelDirectoryException">entry.json is missing or malformed, or records another key or other files.</exception>
    public static SessionCacheEntry Load(string directory, string key, IReadOnlyCollection<string> files)
    {
        var path = Path.Combine(directory, FileName);
        var entry = ModelJsonFile.Read(path, SessionCacheJsonContext.Default.SessionCacheEntry);
        if (!string.Equals(entry.Key, key, StringComparison.Ordinal)
            || entry.Files is null
            || !entry.Files.Select(file => file?.Path).Order(StringComparer.Ordinal).SequenceEqual(files.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            throw new ModelDirectoryException($"{path}: records another cache key or other files");
        }

        return entry;
    }

    public void Save(string directory) =>
        ModelJsonFile.Write(Path.Combine(directory, FileName), this, SessionCacheJsonContext.Default.SessionCacheEntry);

    /// <summary>
    /// Checks every file's size now (throwing on a difference) and returns the checksum comparison running on a thread
    /// of its own (as <see cref="ManifestVerifier.StartHashCheck"/>), faulting with a <see cref="ModelDirectoryException"/> naming a changed file.
    /// </summary>
    public Task StartCheck(string directory)
    {
        foreach (var file in Files)
        {
            var info = new FileInfo(Path.Combine(directory, file.Path));
            if (!info.Exists || info.Length != file.Size)
            {
                throw new ModelDirectoryException($"{info.FullName}: size mismatch or missing, {FileName} expects {file.Size} bytes");
            }
        }

        return VerifyingLoader.StartOnOwnThread(() =>
        {
            foreach (var file in Files)
            {
                var full = Path.Combine(directory, file.Path);
                if (!string.Equals(Checksum(full), file.XxHash128, StringComparison.Ordinal))
                {
                    throw new ModelDirectoryException($"{full}: checksum mismatch, {FileName} expects {file.XxHash128}");
                }
            }
        });
    }

    private static string Checksum(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan);
        var hash = new XxHash128();
        hash.Append(stream);
        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
