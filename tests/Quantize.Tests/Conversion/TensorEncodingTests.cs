using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.Onnx;
using Appliance.Quantize.Tests.Onnx;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Conversion;

public sealed class TensorEncodingTests
{
    [Fact]
    public void TransposeInto_writes_out_by_in_into_its_columns_of_in_by_total_out()
    {
        // 70 x 3 crosses the 64-row tile boundary; columns 5..74 of a 3 x 80 destination.
        const int Rows = 70;
        const int Cols = 3;
        const int Columns = 80;
        const int Offset = 5;
        var source = Enumerable.Range(0, Rows * Cols).Select(i => (float)i).ToArray();
        var destination = Enumerable.Repeat(-1f, Cols * Columns).ToArray();

        TensorEncoding.TransposeInto(source, Rows, Cols, destination, Columns, Offset);

        for (var c = 0; c < Cols; c++)
        {
            for (var column = 0; column < Columns; column++)
            {
                var r = column - Offset;
                var expected = r is >= 0 and < Rows ? source[(r * Cols) + c] : -1f;
                Assert.Equal(expected, destination[(c * Columns) + column]);
            }
        }
    }

    [Fact]
    public void TransposeInto_rejects_a_length_that_does_not_match_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorEncoding.TransposeInto(new float[5], 2, 3, new float[6], 2, 0));
        Assert.Contains("2x3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransposeInto_rejects_columns_beyond_the_destination()
    {
        var error = Assert.Throws<ArgumentException>(() => TensorEncoding.TransposeInto(new float[6], 2, 3, new float[12], 4, 3));
        Assert.Contains("[3, 5)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Float16_initializers_hold_rounded_half_values()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("model.onnx");
        float[] values = [1f, -2.5f, 0.1f, 65504f];
        using (var writer = new OnnxModelWriter(path, "model.onnx.data"))
        {
            TensorEncoding.AddInitializer(writer, "w", OnnxElementType.Float16, [4], values, "w");
            writer.Save();
        }

        var tensor = ProtoMessage.Load(path).Message(7).Messages(5).Single();
        Assert.Equal((long)OnnxElementType.Float16, tensor.Int(2));
        var halves = MemoryMarshal.Cast<byte, Half>(tensor.Bytes(9)).ToArray();
        Assert.Equal(values.Select(v => (Half)v), halves);
    }

    [Fact]
    public void Float16_overflow_names_the_tensor_and_suggests_fp32()
    {
        using var directory = new TempDirectory();
        using var writer = new OnnxModelWriter(directory.Combine("model.onnx"), "model.onnx.data");

        var error = Assert.Throws<ConversionException>(() =>
            TensorEncoding.AddInitializer(writer, "w", OnnxElementType.Float16, [2], [1f, 70000f], "model.norm.weight"));

        Assert.Contains("model.norm.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("70000", error.Message, StringComparison.Ordinal);
        Assert.Contains("fp32", error.Message, StringComparison.Ordinal);
    }
}
