using System.Text.Json;

namespace Appliance.Quantize.HuggingFace;

/// <summary>
/// A Hugging Face model directory: config.json plus model.safetensors, or shards listed by
/// model.safetensors.index.json. Tensors are read on demand and converted to float32.
/// </summary>
public sealed class HfCheckpoint : IDisposable
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>The safetensors metadata key marking a synthetic checkpoint.</summary>
    public const string SyntheticMetadataKey = "synthetic";

    private readonly Dictionary<string, SafeTensorsFile> _tensorFiles;
    private readonly List<SafeTensorsFile> _files;

    private HfCheckpoint(string directory, HfModelConfig config, List<SafeTensorsFile> files, Dictionary<string, SafeTensorsFile> tensorFiles)
    {
        Directory = directory;
        Config = config;
        _files = files;
        _tensorFiles = tensorFiles;
        TensorNames = tensorFiles.Keys.Order(StringComparer.Ordinal).ToArray();
    }

    public string Directory { get; }

    public HfModelConfig Config { get; }

    /// <summary>Every tensor in the checkpoint, in ordinal name order.</summary>
    public IReadOnlyCollection<string> TensorNames { get; }

    /// <summary>
    /// The "synthetic" metadata entry `quantize synth` writes into its safetensors files (e.g. "random weights, not a
    /// trained model"), or null for a real checkpoint.
    /// </summary>
    public string? SyntheticNotice =>
        _files.Select(f => f.Metadata.TryGetValue(SyntheticMetadataKey, out var notice) ? notice : null).FirstOrDefault(n => n is not null);

    /// <summary>The safetensors files backing the checkpoint.</summary>
    public IReadOnlyList<string> Files => _files.Select(f => f.Path).ToArray();

    public static HfCheckpoint Open(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new HfCheckpointException($"{directory}: model directory not found.");
        }

        var config = HfModelConfig.Load(Path.Combine(directory, HfModelConfig.FileName));
        var indexPath = Path.Combine(directory, IndexFileName);
        var singlePath = Path.Combine(directory, SingleFileName);
        var files = new List<SafeTensorsFile>();
        try
        {
            Dictionary<string, SafeTensorsFile> tensorFiles;
            if (File.Exists(indexPath))
            {
                tensorFiles = OpenSharded(directory, indexPath, files);
            }
            else if (File.Exists(singlePath))
            {
                var file = SafeTensorsFile.Open(singlePath);
                files.Add(file);
                tensorFiles = file.TensorNames.ToDictionary(n => n, _ => file, StringComparer.Ordinal);
            }
            else
            {
                throw new HfCheckpointException(
                    $"{directory}: neither {SingleFileName} nor {IndexFileName} found{DescribeOtherWeights(directory)}.");
            }

            return new HfCheckpoint(directory, config, files, tensorFiles);
        }
        catch
        {
            foreach (var file in files)
            {
                file.Dispose();
            }

            throw;
        }
    }

    public bool Contains(string name) => _tensorFiles.ContainsKey(name);

    public SafeTensorInfo Describe(string name) => FileOf(name).Describe(name);

    public float[] ReadFloat32(string name)
    {
        var info = Describe(name);
        if (info.ElementCount > Array.MaxLength)
        {
            throw new HfCheckpointException($"{info.File}: tensor \"{name}\" has {info.ElementCount} elements, too many for one array.");
        }

        var values = new float[info.ElementCount];
        ReadFloat32(name, values);
        return values;
    }

    public void ReadFloat32(string name, Span<float> destination) => FileOf(name).ReadFloat32(name, destination);

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
    }

    private SafeTensorsFile FileOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _tensorFiles.TryGetValue(name, out var file)
            ? file
            : throw new HfCheckpointException(
                $"{Directory}: tensor \"{name}\" not found in {string.Join(", ", _files.Select(f => Path.GetFileName(f.Path)))}.");
    }

    private static Dictionary<string, SafeTensorsFile> OpenSharded(string directory, string indexPath, List<SafeTensorsFile> files)
    {
        var weightMap = ReadWeightMap(indexPath);
        var byFileName = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        var tensorFiles = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        foreach (var (tensor, fileName) in weightMap)
        {
            if (!byFileName.TryGetValue(fileName, out var file))
            {
                if (Path.IsPathRooted(fileName) || fileName.Contains("..", StringComparison.Ordinal))
                {
                    throw new HfCheckpointException($"{indexPath}: weight_map file \"{fileName}\" for tensor \"{tensor}\" must be a plain file name in the model directory.");
                }

                file = SafeTensorsFile.Open(Path.Combine(directory, fileName));
                files.Add(file);
                byFileName[fileName] = file;
            }

            tensorFiles[tensor] = file.Contains(tensor)
                ? file
                : throw new HfCheckpointException($"{indexPath}: weight_map puts tensor \"{tensor}\" in {fileName}, but that file does not contain it.");
        }

        return tensorFiles;
    }

    private static List<KeyValuePair<string, string>> ReadWeightMap(string indexPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(indexPath));
        }
        catch (JsonException e)
        {
            throw new HfCheckpointException($"{indexPath}: not valid JSON ({e.Message}).", e);
        }

        using (document)
        {
            var root = new JsonFieldReader(document.RootElement, indexPath);
            var map = root.OptionalObject("weight_map") ?? throw root.Error("weight_map", "is required but missing");
            var entries = new List<KeyValuePair<string, string>>();
            foreach (var property in map.Element.EnumerateObject())
            {
                entries.Add(new(property.Name, map.RequiredString(property.Name)));
            }

            return entries.Count > 0 ? entries : throw root.Error("weight_map", "is empty");
        }
    }

    private static string DescribeOtherWeights(string directory)
    {
        var others = System.IO.Directory.EnumerateFiles(directory)
            .Select(Path.GetFileName)
            .Where(n => n is not null && (n.EndsWith(".bin", StringComparison.Ordinal) || n.EndsWith(".safetensors", StringComparison.Ordinal) || n.EndsWith(".pt", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return others.Length == 0
            ? string.Empty
            : $" (found {string.Join(", ", others)}; only safetensors named {SingleFileName} or indexed by {IndexFileName} is read)";
    }
}
