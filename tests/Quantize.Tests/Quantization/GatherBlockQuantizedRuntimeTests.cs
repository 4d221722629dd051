using Appliance.Quantize.Quantization;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>ONNX Runtime's GatherBlockQuantized, fed our embedding bytes, returns exactly our dequantized rows.</summary>
public sealed class GatherBlockQuantizedRuntimeTests : IDisposable
{
    private const int Vocab = 40;
    private const int Hidden = 200; // 7 blocks of 32 (odd: zero points end in half a byte), 2 blocks of 128

    private static readonly long[] Tokens = [5, 0, 39, 5, 17, 22];

    private readonly TempDirectory _dir = new("gather-block-quantized");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(QuantizationTestData.RuntimeConfigurations), MemberType = typeof(QuantizationTestData))]
    public void Runtime_rows_equal_dequantized_rows(int bits, int blockSize, bool symmetric)
    {
        var options = new BlockQuantizationOptions { Bits = bits, BlockSize = blockSize, Symmetric = symmetric };
        var table = BlockQuantizer.Quantize(QuantizationTestData.WithOutliers(Vocab, Hidden, seed: 61), Vocab, Hidden, options, QuantizedLayout.GatherBlockQuantized);
        var model = OrtQuantizedGraphs.GatherBlockQuantized(_dir.Path, table, [2, 3]);

        var actual = OrtQuantizedGraphs.Run<long, float>(model, "indices", Tokens, [2, 3], "output");

        Assert.Equal(ExpectedRows(table), actual);
    }

    [Fact]
    public void A_matrix_quantized_for_MatMulNBits_feeds_the_gather_too()
    {
        var options = new BlockQuantizationOptions { Method = QuantizationMethod.HalfQuadratic };
        var table = BlockQuantizer.Quantize(QuantizationTestData.Gaussian(Vocab, Hidden, seed: 62), Vocab, Hidden, options);
        var model = OrtQuantizedGraphs.GatherBlockQuantized(_dir.Path, table, [2, 3]);

        var actual = OrtQuantizedGraphs.Run<long, float>(model, "indices", Tokens, [2, 3], "output");

        Assert.Equal(ExpectedRows(table), actual);
    }

    [Fact]
    public void Float16_scales_give_float16_rows()
    {
        var options = new BlockQuantizationOptions { ScalePrecision = ScalePrecision.Float16 };
        var table = BlockQuantizer.Quantize(QuantizationTestData.Gaussian(Vocab, Hidden, seed: 63), Vocab, Hidden, options, QuantizedLayout.GatherBlockQuantized);
        var model = OrtQuantizedGraphs.GatherBlockQuantized(_dir.Path, table, [2, 3]);

        var actual = OrtQuantizedGraphs.Run<long, Half>(model, "indices", Tokens, [2, 3], "output");

        Assert.Equal(ExpectedRows(table).Select(v => (Half)v), actual);
    }

    private static float[] ExpectedRows(QuantizedMatrix table)
    {
        var expected = new float[Tokens.Length * Hidden];
        for (var i = 0; i < Tokens.Length; i++)
        {
            table.DequantizeRow((int)Tokens[i], expected.AsSpan(i * Hidden, Hidden));
        }

        return expected;
    }
}
