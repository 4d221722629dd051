using System.Buffers.Binary;
using System.Text.Json;
using Appliance.Quantize.HuggingFace;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.HuggingFace;

public sealed class SafeTensorsRoundTripTests
{
    private static readonly float[] SpecialValues =
    [
        0f, -0f, 1f, -1f, 0.1f, 3.14159265f, 1e-30f, -2.5e-40f /* subnormal */, float.Epsilon, float.MaxValue,
        float.MinValue, float.PositiveInfinity, float.NegativeInfinity, 65504f, 1e-5f, 6e-8f,
    ];

    [Fact]
    public void F32_round_trip_is_bit_exact()
    {
        using var dir = new TempDirectory();
        var values = SpecialValues.Append(float.NaN).ToArray();

        var read = WriteAndRead(dir, SafeTensorDType.F32, values);

        Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), read.Select(BitConverter.SingleToUInt32Bits));
    }

    [Fact]
    public void F16_round_trip_rounds_to_nearest_even()
    {
        using var dir = new TempDirectory();
        float[] ties =
        [
            1f + MathF.Pow(2, -11),      // halfway between 1 and 1 + 2^-10: to even, 1
            1f + (3 * MathF.Pow(2, -11)), // halfway between 1 + 2^-10 and 1 + 2^-9: to even, 1 + 2^-9
            1f + MathF.Pow(2, -11) + MathF.Pow(2, -20), // just above halfway: up
            65520f,                       // halfway to the next power of two past 65504: infinity
        ];

        var read = WriteAndRead(dir, SafeTensorDType.F16, ties);

        Assert.Equal([1f, 1f + MathF.Pow(2, -9), 1f + MathF.Pow(2, -10), float.PositiveInfinity], read);
    }

    [Fact]
    public void F16_round_trip_equals_the_Half_conversion_for_ordinary_values()
    {
        using var dir = new TempDirectory();
        var values = SpecialValues.Concat(Enumerable.Range(0, 200).Select(i => (i - 100) * 0.0137f)).ToArray();

        var read = WriteAndRead(dir, SafeTensorDType.F16, values);

        Assert.Equal(values.Select(v => (float)(Half)v), read);
    }

    [Fact]
    public void BF16_round_trip_rounds_to_nearest_even_and_keeps_nan()
    {
        using var dir = new TempDirectory();
        float[] values =
        [
            1f + MathF.Pow(2, -8),                     // tie: to even, 1
            1f + (3 * MathF.Pow(2, -8)),               // tie: to even, 1 + 2^-6
            1f + MathF.Pow(2, -8) + MathF.Pow(2, -20), // above the tie: up to 1 + 2^-7
            -2.5f, 0.15625f, float.NegativeInfinity, float.NaN,
            BitConverter.Int32BitsToSingle(0x7F800001), // NaN whose payload sits below bit 16
        ];

        var read = WriteAndRead(dir, SafeTensorDType.BF16, values);

        Assert.Equal([1f, 1f + MathF.Pow(2, -6), 1f + MathF.Pow(2, -7), -2.5f, 0.15625f, float.NegativeInfinity], read[..6]);
        Assert.True(float.IsNaN(read[6]) && float.IsNaN(read[7]));
    }

    [Fact]
    public void Tensors_larger_than_one_read_chunk_round_trip()
    {
        using var dir = new TempDirectory();
        var values = Enumerable.Range(0, 700_000).Select(i => (float)Math.Sin(i)).ToArray();

        Assert.Equal(values, WriteAndRead(dir, SafeTensorDType.F32, values));
        Assert.Equal(values.Select(v => (float)(Half)v), WriteAndRead(dir, SafeTensorDType.F16, values));
    }

    [Fact]
    public void Header_records_dtype_shape_offsets_and_metadata_and_data_starts_8_byte_aligned()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.safetensors");
        using (var writer = new SafeTensorsWriter(path))
        {
            writer.Add("a", SafeTensorDType.F16, [3], [1, 2, 3]);
            writer.Add("b", SafeTensorDType.F32, [2, 1], [4, 5]);
            writer.Save(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "x" });
        }

        var bytes = File.ReadAllBytes(path);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var root = header.RootElement;

        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 6 + 8, bytes.Length);
        Assert.Equal("F16", root.GetProperty("a").GetProperty("dtype").GetString());
        Assert.Equal("[0,6]", root.GetProperty("a").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[6,14]", root.GetProperty("b").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[2,1]", root.GetProperty("b").GetProperty("shape").GetRawText());
        using var file = SafeTensorsFile.Open(path);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("x", file.Metadata["note"]);
    }

    [Fact]
    public void Scalars_and_empty_tensors_round_trip()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("m.safetensors");
        using (var writer = new SafeTensorsWriter(path))
        {
            writer.Add("scalar", SafeTensorDType.F32, [], [7]);
            writer.Add("empty", SafeTensorDType.BF16, [0, 4], []);
            writer.Save();
        }

        using var file = SafeTensorsFile.Open(path);
        var scalar = new float[1];
        file.ReadFloat32("scalar", scalar);
        Assert.Equal(7, scalar[0]);
        Assert.Equal([0L, 4], file.Describe("empty").Shape);
    }

    [Fact]
    public void Writer_rejects_mismatched_shapes_and_duplicate_names()
    {
        using var dir = new TempDirectory();
        using var writer = new SafeTensorsWriter(dir.Combine("m.safetensors"));
        writer.Add("a", SafeTensorDType.F32, [2], [1, 2]);

        var shape = Assert.Throws<ArgumentException>(() => writer.Add("b", SafeTensorDType.F32, [2, 2], [1, 2, 3]));
        var duplicate = Assert.Throws<ArgumentException>(() => writer.Add("a", SafeTensorDType.F32, [1], [1]));

        Assert.Contains("\"b\" has shape [2, 2] but 3 values", shape.Message, StringComparison.Ordinal);
        Assert.Contains("\"a\"", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Disposing_an_unsaved_writer_leaves_no_files()
    {
        using var dir = new TempDirectory();
        using (var writer = new SafeTensorsWriter(dir.Combine("m.safetensors")))
        {
            writer.Add("a", SafeTensorDType.F32, [2], [1, 2]);
        }

        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    private static float[] WriteAndRead(TempDirectory dir, SafeTensorDType dtype, float[] values)
    {
        var path = dir.Combine($"{dtype}.safetensors");
        using (var writer = new SafeTensorsWriter(path))
        {
            writer.Add("t", dtype, [values.Length], values);
            writer.Save();
        }

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal(dtype, file.Describe("t").DType);
        var read = new float[values.Length];
        file.ReadFloat32("t", read);
        return read;
    }
}
