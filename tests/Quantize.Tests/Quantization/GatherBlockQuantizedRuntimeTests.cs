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

    [Theory]
    [MemberData(nameof(QuantizationTestData.RuntimeConfigurations), MemberType = typeof(QuantizationTestData))]
    public void A_tied_table_s_codes_stored_once_serve_the_gather_and_the_matmul(int bits, int blockSize, bool symmetric)
    {
        const int Columns = 256; // whole blocks of 32 and 128, as sharing needs
        const int M = 2;
        var options = new BlockQuantizationOptions { Bits = bits, BlockSize = blockSize, Symmetric = symmetric };
        var table = BlockQuantizer.Quantize(QuantizationTestData.WithOutliers(Vocab, Columns, seed: 64), Vocab, Columns, options);
        var input = QuantizationTestData.Gaussian(M, Columns, seed: 65).Select(v => v * 50).ToArray();
        var model = OrtQuantizedGraphs.TiedTable(_dir.Path, table, [2, 3], M);

        using var indices = OrtGraphs.Tensor(Tokens, 2, 3);
        using var activations = OrtGraphs.Tensor(input, M, Columns);
        var outputs = OrtQuantizedGraphs.RunFloat(model, [("indices", indices), ("A", activations)], "embeddings", "Y");

        var dequantized = table.Dequantize();
        var expectedRows = new float[Tokens.Length * Columns];
        for (var i = 0; i < Tokens.Length; i++)
        {
            dequantized.AsSpan((int)Tokens[i] * Columns, Columns).CopyTo(expectedRows.AsSpan(i * Columns));
        }

        Assert.Equal(expectedRows, outputs[0]);
        var expected = new double[M * Vocab];
        for (var m = 0; m < M; m++)
        {
            for (var n = 0; n < Vocab; n++)
            {
                double sum = 0;
                for (var k = 0; k < Columns; k++)
                {
                    sum += (double)input[(m * Columns) + k] * dequantized[(n * Columns) + k];
                }

                expected[(m * Vocab) + n] = sum;
            }
        }

        var tolerance = 1e-4 * expected.Max(Math.Abs);
        Assert.All(expected.Zip(outputs[1]), pair => Assert.True(Math.Abs(pair.First - pair.Second) <= tolerance, $"{pair.Second} vs {pair.First}"));
    }

    [Fact]
    public void A_table_without_whole_blocks_cannot_be_shared()
    {
        var table = BlockQuantizer.Quantize(QuantizationTestData.Gaussian(Vocab, Hidden, seed: 66), Vocab, Hidden, new BlockQuantizationOptions());

        var error = Assert.Throws<ArgumentException>(() => OrtQuantizedGraphs.TiedTable(_dir.Path, table, [2, 3], 1));

        Assert.Contains("200 columns are not a multiple of block size 32", error.Message, StringComparison.Ordinal);
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
