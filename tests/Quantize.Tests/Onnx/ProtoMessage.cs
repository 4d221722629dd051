using System.Buffers.Binary;
using System.Text;

namespace Appliance.Quantize.Tests.Onnx;

/// <summary>Test-side protobuf decoder: splits a message into its fields so tests can check what the writer encoded.</summary>
internal sealed class ProtoMessage
{
    private readonly List<(int Field, int Wire, ulong Scalar, byte[] Bytes)> _fields = [];

    public ProtoMessage(ReadOnlySpan<byte> data)
    {
        var pos = 0;
        while (pos < data.Length)
        {
            var tag = ReadVarint(data, ref pos);
            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case 0:
                    _fields.Add((field, wire, ReadVarint(data, ref pos), []));
                    break;
                case 2:
                    var length = (int)ReadVarint(data, ref pos);
                    _fields.Add((field, wire, 0, data.Slice(pos, length).ToArray()));
                    pos += length;
                    break;
                case 5:
                    _fields.Add((field, wire, BinaryPrimitives.ReadUInt32LittleEndian(data[pos..]), []));
                    pos += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected wire type {wire} for field {field} at byte {pos}.");
            }
        }
    }

    public static ProtoMessage Load(string path) => new(File.ReadAllBytes(path));

    public IEnumerable<int> FieldNumbers => _fields.Select(f => f.Field);

    public long Int(int field) => (long)Single(field, 0).Scalar;

    public long[] Ints(int field) => [.. _fields.Where(f => f.Field == field && f.Wire == 0).Select(f => (long)f.Scalar)];

    public float Float(int field) => BitConverter.UInt32BitsToSingle((uint)Single(field, 5).Scalar);

    public string String(int field) => Encoding.UTF8.GetString(Single(field, 2).Bytes);

    public string[] Strings(int field) => [.. _fields.Where(f => f.Field == field).Select(f => Encoding.UTF8.GetString(f.Bytes))];

    public byte[] Bytes(int field) => Single(field, 2).Bytes;

    public bool Has(int field) => _fields.Any(f => f.Field == field);

    public ProtoMessage Message(int field) => new(Single(field, 2).Bytes);

    public ProtoMessage[] Messages(int field) => [.. _fields.Where(f => f.Field == field).Select(f => new ProtoMessage(f.Bytes))];

    /// <summary>Decodes a packed repeated varint field.</summary>
    public long[] PackedInts(int field)
    {
        var data = Single(field, 2).Bytes;
        var values = new List<long>();
        var pos = 0;
        while (pos < data.Length)
        {
            values.Add((long)ReadVarint(data, ref pos));
        }

        return [.. values];
    }

    /// <summary>StringStringEntryProto list as a dictionary.</summary>
    public Dictionary<string, string> Entries(int field) =>
        Messages(field).ToDictionary(m => m.String(1), m => m.String(2));

    private (int Field, int Wire, ulong Scalar, byte[] Bytes) Single(int field, int wire) =>
        _fields.Single(f => f.Field == field && f.Wire == wire);

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
