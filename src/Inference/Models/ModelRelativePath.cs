namespace Appliance.Inference.Models;

/// <summary>
/// Resolves a file name written inside the model directory's own files. Such names come from downloaded
/// files, so a name that is absolute or climbs out of the directory is refused rather than followed.
/// </summary>
internal static class ModelRelativePath
{
    public static string Resolve(string directory, string relative, string sourceName, string field)
    {
        if (string.IsNullOrWhiteSpace(relative) || System.IO.Path.IsPathRooted(relative))
        {
            throw new ModelDirectoryException(
                $"{sourceName}: {field} \"{relative}\" must be a path relative to the model directory.");
        }

        var root = System.IO.Path.GetFullPath(directory);
        var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
        var rootWithSeparator = System.IO.Path.EndsInDirectorySeparator(root) ? root : root + System.IO.Path.DirectorySeparatorChar;
        if (!full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new ModelDirectoryException(
                $"{sourceName}: {field} \"{relative}\" points outside the model directory {root}.");
        }

        return full;
    }

    /// <summary>The manifest's spelling of a path: relative, with forward slashes on every platform.</summary>
    public static string ToManifestPath(string relative) => relative.Replace('\\', '/');
}
