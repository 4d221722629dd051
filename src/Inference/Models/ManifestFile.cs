namespace Appliance.Inference.Models;

/// <summary>One file of the model directory as the manifest vouches for it.</summary>
/// <param name="Path">Relative to the model directory, forward slashes.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
public sealed record ManifestFile(string Path, long Size, string Sha256);
