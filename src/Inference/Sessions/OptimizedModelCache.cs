using System.Security.Cryptography;
using System.Text;
using Appliance.Inference.Models;
using Appliance.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Inference.Sessions;

/// <summary>
/// Keeps ONNX Runtime's optimised decoder graph with its prepacked weights in a cache directory, so a restart skips
/// graph optimisation and prepacking (most of a session's creation time for int4 weights). One entry per key: the
/// SHA-256 of the model's manifest.json, the ONNX Runtime version, the CPU and the session settings, so any change to
/// the model, runtime, machine or settings misses and builds a fresh entry. An entry carries its own entry.json (size
/// and XxHash128 of its files, see <see cref="SessionCacheEntry"/>); a hit is served only after they matched, checked
/// while the session loads.
/// A corrupt entry is deleted and built again, never trusted. Entries are written in a staging directory and renamed
/// into place once flushed, so a power cut leaves either a whole entry or none.
/// </summary>
public sealed class OptimizedModelCache
{
    private const string ModelFile = "model.onnx";
    private const string DataFile = "model.onnx.data";
    private const string StagingPrefix = ".staging-";
    private static readonly string[] EntryFiles = [ModelFile, DataFile];

    /// <param name="root">The cache directory (created when missing); e.g. systemd's CacheDirectory.</param>
    public OptimizedModelCache(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>
    /// A session for <paramref name="model"/>'s decoder: from the cache when a verified entry exists, else built from
    /// the model directory while the entry is saved. <paramref name="settings"/> names everything in
    /// <paramref name="options"/> that shapes the optimised graph (it is part of the key).
    /// </summary>
    public (InferenceSession Session, SessionCacheResult Result) Open(ModelDirectory model, SessionOptions options, string settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        if (model.Manifest is null)
        {
            return (new InferenceSession(model.DecoderPath, options), SessionCacheResult.Off);
        }

        var key = Key(model, settings);
        var entry = Path.Combine(Root, key);
        string? problem = null;
        if (Directory.Exists(entry))
        {
            try
            {
                return (OpenEntry(entry, key, options), new SessionCacheResult(SessionCacheOutcome.Hit));
            }
            catch (Exception error) when (error is ModelDirectoryException or OnnxRuntimeException or IOException or UnauthorizedAccessException)
            {
                problem = $"cache entry {entry} is unusable and was rebuilt: {error.Message}";
                TryDelete(entry);
            }
        }

        return Build(model, options, key, entry, problem);
    }

    /// <summary>The entry's name: SHA-256 of everything the optimised graph and its prepacked weights depend on.</summary>
    public static string Key(ModelDirectory model, string settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        var text = new StringBuilder()
            .Append("manifest=").AppendLine(FileSha256.Compute(Path.Combine(model.Path, ModelManifest.FileName)))
            .Append("onnxruntime=").AppendLine(OrtLibrary.Version)
            .Append("cpu=").AppendLine(CpuIdentity.Describe())
            .Append("settings=").AppendLine(settings)
            .ToString();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static InferenceSession OpenEntry(string entry, string key, SessionOptions options) =>
        VerifyingLoader.LoadBeside(
            SessionCacheEntry.Load(entry, key, EntryFiles).StartCheck(entry),
            () => new InferenceSession(Path.Combine(entry, ModelFile), options));

    private (InferenceSession Session, SessionCacheResult Result) Build(
        ModelDirectory model, SessionOptions options, string key, string entry, string? problem)
    {
        var staging = Path.Combine(Root, StagingPrefix + Guid.NewGuid().ToString("N"));
        InferenceSession session;
        try
        {
            Directory.CreateDirectory(staging);
            options.OptimizedModelFilePath = Path.Combine(staging, ModelFile);
            options.AddSessionConfigEntry("session.optimized_model_external_initializers_file_name", DataFile);
            options.AddSessionConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
            options.AddSessionConfigEntry("session.save_external_prepacked_constant_initializers", "1");
            session = new InferenceSession(model.DecoderPath, options);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or OnnxRuntimeException)
        {
            // Saving the optimised graph failed (or the model itself is bad: then the plain session says so).
            TryDelete(staging);
            options.OptimizedModelFilePath = string.Empty;
            return (new InferenceSession(model.DecoderPath, options), Unwritable(error));
        }

        try
        {
            Publish(staging, key, entry);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ModelDirectoryException)
        {
            TryDelete(staging);
            return (session, Unwritable(error));
        }

        return (session, new SessionCacheResult(problem is null ? SessionCacheOutcome.Built : SessionCacheOutcome.Rebuilt, problem));
    }

    private SessionCacheResult Unwritable(Exception error) =>
        new(SessionCacheOutcome.Unwritable, $"cannot write the session cache {Root}: {error.Message}");

    private void Publish(string staging, string key, string entry)
    {
        SessionCacheEntry.Create(staging, key, EntryFiles).Save(staging);
        foreach (var file in (string[])[.. EntryFiles, SessionCacheEntry.FileName])
        {
            using var stream = new FileStream(Path.Combine(staging, file), FileMode.Open, FileAccess.ReadWrite);
            stream.Flush(flushToDisk: true);
        }

        // Older entries (another model, runtime or setting) are of no further use: one model is served at a time.
        foreach (var old in Directory.EnumerateDirectories(Root).Where(path => IsEntryName(Path.GetFileName(path))))
        {
            TryDelete(old);
        }

        Directory.Move(staging, entry);
    }

    private static bool IsEntryName(string name) => name.Length == 64 && name.All(char.IsAsciiHexDigitLower);

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // Left for the next build to clear; a stale entry is never used, its key differs.
        }
    }
}
