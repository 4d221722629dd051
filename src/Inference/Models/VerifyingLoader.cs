namespace Appliance.Inference.Models;

/// <summary>
/// Loads a model while the SHA-256 of the files its manifest lists is checked on another thread: hashing a few hundred
/// MB and building the ONNX Runtime session take similar time, and a small board has more than one core. Nothing is
/// handed out before every hash matched: a mismatch disposes what was built and throws the mismatch.
/// </summary>
public static class VerifyingLoader
{
    /// <summary>
    /// Opens <paramref name="directory"/> (sizes and structure checked first, as <see cref="ModelDirectory.Open"/> does)
    /// and runs <paramref name="load"/> on it while the hashes are computed; returns its result once they all matched.
    /// </summary>
    /// <param name="verifyHashes">false: sizes only, no hashing (<c>--no-verify</c>).</param>
    /// <exception cref="ModelDirectoryException">A file is missing, truncated or changed (the mismatch wins over whatever
    /// error the changed content caused in <paramref name="load"/>), or the directory is otherwise unusable.</exception>
    public static T Load<T>(string directory, bool verifyHashes, Func<ModelDirectory, T> load)
        where T : IDisposable
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(load);
        var hashCheck = verifyHashes ? StartHashCheck(Path.GetFullPath(directory)) : Task.CompletedTask;
        return LoadBeside(hashCheck, () => load(ModelDirectory.Open(directory, verifyHashes: false)));
    }

    /// <summary>
    /// Runs <paramref name="load"/> while <paramref name="check"/> (a hash check of what it reads) runs, and returns
    /// its result once the check passed. A failed check wins: it is thrown instead of whatever error the changed content
    /// caused in <paramref name="load"/>, and a finished load is disposed.
    /// </summary>
    public static T LoadBeside<T>(Task check, Func<T> load)
        where T : IDisposable
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(load);
        T loaded;
        try
        {
            loaded = load();
        }
        catch (Exception)
        {
            // A tampered or corrupt file may be why the load failed (a config that no longer parses): its mismatch is the better report.
            check.GetAwaiter().GetResult();
            throw;
        }

        try
        {
            check.GetAwaiter().GetResult();
        }
        catch
        {
            loaded.Dispose();
            throw;
        }

        return loaded;
    }

    /// <summary>
    /// Starts <paramref name="check"/> (hashing files) on a thread of its own: it blocks for seconds on a small board,
    /// and a pool thread held that long makes the pool slow to serve everything else starting meanwhile (the broker
    /// connection, the HTTP listener).
    /// </summary>
    internal static Task StartOnOwnThread(Action check) =>
        Task.Factory.StartNew(check, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static Task StartHashCheck(string root) =>
        File.Exists(Path.Combine(root, ModelManifest.FileName))
            ? ManifestVerifier.StartHashCheck(root, ModelManifest.Load(root))
            : Task.CompletedTask;
}
