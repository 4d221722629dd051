namespace Appliance.Inference.Models;

/// <summary>
/// An opened, checked model directory: genai_config.json, the decoder ONNX file and its external data,
/// and manifest.json when present. Opening fails with a <see cref="ModelDirectoryException"/> naming the
/// file and the problem, so a bad model is caught before ONNX Runtime sees it.
/// </summary>
public sealed class ModelDirectory
{
    private ModelDirectory(
        string path,
        GenAiConfig config,
        string decoderPath,
        ModelManifest? manifest,
        IReadOnlyList<string> externalDataPaths)
    {
        Path = path;
        Config = config;
        DecoderPath = decoderPath;
        Manifest = manifest;
        ExternalDataPaths = externalDataPaths;
    }

    /// <summary>Full path of the directory.</summary>
    public string Path { get; }

    public GenAiConfig Config { get; }

    /// <summary>Full path of the decoder ONNX file.</summary>
    public string DecoderPath { get; }

    public ModelManifest? Manifest { get; }

    /// <summary>Full paths of the distinct files the decoder keeps its external initializers in.</summary>
    public IReadOnlyList<string> ExternalDataPaths { get; }

    /// <summary>Bytes of the decoder file plus its external data files: what a decode step streams at most.</summary>
    public long WeightFileBytes =>
        new FileInfo(DecoderPath).Length + ExternalDataPaths.Sum(path => new FileInfo(path).Length);

    /// <param name="directory">The model directory.</param>
    /// <param name="verifyHashes">Hash every file listed in manifest.json (sizes are always checked).</param>
    public static ModelDirectory Open(string directory, bool verifyHashes = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = System.IO.Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new ModelDirectoryException($"{root}: model directory does not exist.");
        }

        // The manifest goes first: a tampered file is best reported as a hash mismatch, not as whatever
        // parse error its new content happens to cause.
        ModelManifest? manifest = null;
        if (File.Exists(System.IO.Path.Combine(root, ModelManifest.FileName)))
        {
            manifest = ModelManifest.Load(root);
            ManifestVerifier.Verify(root, manifest, verifyHashes);
        }

        var configPath = System.IO.Path.Combine(root, GenAiConfig.FileName);
        var config = GenAiConfig.Load(configPath);
        GenAiConfigValidator.Validate(config, configPath);

        var decoderPath = ModelRelativePath.Resolve(root, config.Model.Decoder.Filename, configPath, "model.decoder.filename");
        if (!File.Exists(decoderPath))
        {
            throw new ModelDirectoryException(
                $"{decoderPath}: decoder model file is missing (named by model.decoder.filename in {configPath}).");
        }

        var dataPaths = CheckExternalData(decoderPath);
        if (manifest is not null)
        {
            RequireListed(root, manifest, [configPath, decoderPath, .. dataPaths]);
        }

        return new ModelDirectory(root, config, decoderPath, manifest, dataPaths);
    }

    private static string[] CheckExternalData(string decoderPath)
    {
        var decoderDirectory = System.IO.Path.GetDirectoryName(decoderPath)!;
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var tensor in OnnxExternalDataScanner.Scan(decoderPath))
        {
            // Resolved against the decoder's own directory (inside the model directory), so it cannot leave it.
            var dataPath = ModelRelativePath.Resolve(decoderDirectory, tensor.Location, decoderPath, $"initializer '{tensor.TensorName}' external data location");

            if (!sizes.TryGetValue(dataPath, out var size))
            {
                var info = new FileInfo(dataPath);
                if (!info.Exists)
                {
                    throw new ModelDirectoryException(
                        $"{dataPath}: external data file is missing (initializer '{tensor.TensorName}' of {decoderPath} lives there).");
                }

                size = info.Length;
                sizes.Add(dataPath, size);
            }

            var end = tensor.Offset + (tensor.Length ?? 0);
            if (tensor.Offset > size || end > size)
            {
                throw new ModelDirectoryException(
                    $"{dataPath}: initializer '{tensor.TensorName}' needs bytes [{tensor.Offset}, {end}) but the file has {size} bytes (truncated?).");
            }
        }

        return [.. sizes.Keys];
    }

    private static void RequireListed(string root, ModelManifest manifest, IEnumerable<string> fullPaths)
    {
        var listed = manifest.Files.Select(file => file.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var full in fullPaths)
        {
            var relative = ModelRelativePath.ToManifestPath(System.IO.Path.GetRelativePath(root, full));
            if (!listed.Contains(relative))
            {
                throw new ModelDirectoryException(
                    $"{full}: not listed in {System.IO.Path.Combine(root, ModelManifest.FileName)}, so its integrity cannot be checked.");
            }
        }
    }
}
