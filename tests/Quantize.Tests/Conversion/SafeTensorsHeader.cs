using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>Edits a safetensors header in place of a real exotic checkpoint (tensor bytes stay where they were).</summary>
internal static class SafeTensorsHeader
{
    public static void SetDType(string path, string tensor, string dtype)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength))!.AsObject();
        header[tensor]!["dtype"] = dtype;
        var newHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)newHeader.Length);
        file.Write(length);
        file.Write(newHeader);
        file.Write(bytes.AsSpan(8 + headerLength));
    }
}
