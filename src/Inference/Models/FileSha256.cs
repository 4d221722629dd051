using System.Security.Cryptography;

namespace Appliance.Inference.Models;

/// <summary>SHA-256 of a file, streamed so multi-gigabyte weight files never sit in memory.</summary>
public static class FileSha256
{
    public static string Compute(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
