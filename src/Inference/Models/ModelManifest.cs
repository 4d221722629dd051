namespace Appliance.Inference.Models;

/// <summary>
/// manifest.json: the SHA-256 and size of every file the model directory ships, where the weights came from,
/// and the quantization recipe that produced them.
/// </summary>
public sealed class ModelManifest
{
    public const string FileName = "manifest.json";
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; set; } = CurrentFormatVersion;

    public List<ManifestFile> Files { get; set; } = [];

    public ManifestSource Source { get; set; } = new(null, string.Empty, string.Empty, null);

    public string? License { get; set; }

    /// <summary>Quantization settings, e.g. "weights" = "int4", "block_size" = "32".</summary>
    public Dictionary<string, string> Recipe { get; set; } = [];

    /// <summary>Hashes the given files (relative to <paramref name="directory"/>) and records them.</summary>
    public static ModelManifest Create(
        string directory,
        IEnumerable<string> relativeFiles,
        ManifestSource source,
        IReadOnlyDictionary<string, string> recipe)
    {
        ArgumentNullException.ThrowIfNull(relativeFiles);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(recipe);
        var files = new List<ManifestFile>();
        foreach (var relative in relativeFiles.Select(ModelRelativePath.ToManifestPath).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var full = ModelRelativePath.Resolve(directory, relative, "manifest", "file");
            if (!File.Exists(full))
            {
                throw new ModelDirectoryException($"{full}: cannot add to the manifest, the file is missing.");
            }

            files.Add(new ManifestFile(relative, new FileInfo(full).Length, FileSha256.Compute(full)));
        }

        var sortedRecipe = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in recipe.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            sortedRecipe[key] = value;
        }

        return new ModelManifest { Files = files, Source = source, License = source.License, Recipe = sortedRecipe };
    }

    public static ModelManifest Load(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        var manifest = ModelJsonFile.Read(path, ManifestJsonContext.Default.ModelManifest);
        manifest.Validate(path);
        return manifest;
    }

    public void Save(string directory) =>
        ModelJsonFile.Write(System.IO.Path.Combine(directory, FileName), this, ManifestJsonContext.Default.ModelManifest);

    private void Validate(string sourceName)
    {
        if (FormatVersion != CurrentFormatVersion)
        {
            throw new ModelDirectoryException(
                $"{sourceName}: format_version {FormatVersion} is not supported (this build reads {CurrentFormatVersion}).");
        }

        if (Files is null || Files.Count == 0)
        {
            throw new ModelDirectoryException($"{sourceName}: \"files\" lists no files.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Files)
        {
            if (file is null || string.IsNullOrWhiteSpace(file.Path))
            {
                throw new ModelDirectoryException($"{sourceName}: a \"files\" entry has no path.");
            }

            if (!seen.Add(file.Path))
            {
                throw new ModelDirectoryException($"{sourceName}: \"{file.Path}\" is listed twice.");
            }

            if (file.Size < 0)
            {
                throw new ModelDirectoryException($"{sourceName}: \"{file.Path}\" has negative size {file.Size}.");
            }

            if (file.Sha256 is null || file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower))
            {
                throw new ModelDirectoryException(
                    $"{sourceName}: \"{file.Path}\" sha256 \"{file.Sha256}\" is not 64 lower-case hex digits.");
            }
        }
    }
}
