using Appliance.Quantize.Quantization;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>
/// The real proof of the layout: ONNX Runtime's MatMulNBits, fed our bytes, computes what a float64 matmul on our
/// dequantized weights computes.
/// </summary>
public sealed class MatMulNBitsRuntimeTests : IDisposable
{
    private const int M = 3;
    private const int N = 24;
    private const int K = 200; // neither 32 nor 128 divides it: every row ends in a padded block (7 blocks of 32: odd)

    private readonly TempDirectory _dir = new("matmul-nbits");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(QuantizationTestData.RuntimeConfigurations), MemberType = typeof(QuantizationTestData))]
    public void Runtime_output_equals_float64_matmul_on_dequantized_weights(int bits, int blockSize, bool symmetric)
    {
        var options = new BlockQuantizationOptions { Bits = bits, BlockSize = blockSize, Symmetric = symmetric };
        var weight = BlockQuantizer.Quantize(QuantizationTestData.WithOutliers(N, K, seed: 51), N, K, options);

        AssertMatchesReference(weight, bias: null);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(8, true)]
    public void Hqq_weights_and_a_bias_run_the_same(int bits, bool symmetric)
    {
        var options = new BlockQuantizationOptions { Bits = bits, Symmetric = symmetric, Method = QuantizationMethod.HalfQuadratic };
        var weight = BlockQuantizer.Quantize(QuantizationTestData.Gaussian(N, K, seed: 52), N, K, options);
        var bias = QuantizationTestData.Gaussian(1, N, seed: 53);

        AssertMatchesReference(weight, bias);
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(4, false)]
    [InlineData(8, true)]
    [InlineData(8, false)]
    public void Int8_accuracy_level_agrees_within_activation_quantization_error(int bits, bool symmetric)
    {
        // accuracy_level 4 quantizes A to int8 per block: the fast path on ARM boards. Negative symmetric scales must survive it.
        var options = new BlockQuantizationOptions { Bits = bits, Symmetric = symmetric };
        var weight = BlockQuantizer.Quantize(QuantizationTestData.WithOutliers(N, K, seed: 56), N, K, options);
        var input = Input();
        var model = OrtQuantizedGraphs.MatMulNBits(_dir.Path, weight, M, accuracyLevel: 4);

        var actual = OrtQuantizedGraphs.Run<float, float>(model, "A", input, [M, K], "Y").Select(v => (double)v).ToArray();

        AssertClose(Reference(input, weight.Dequantize(), null), actual, 1e-2);
    }

    [Fact]
    public void Float16_scales_drive_a_float16_matmul()
    {
        var options = new BlockQuantizationOptions { ScalePrecision = ScalePrecision.Float16 };
        var weight = BlockQuantizer.Quantize(QuantizationTestData.Gaussian(N, K, seed: 54), N, K, options);
        var input = Input();
        var halves = input.Select(v => (Half)v).ToArray();

        var model = OrtQuantizedGraphs.MatMulNBits(_dir.Path, weight, M);
        var actual = OrtQuantizedGraphs.Run<Half, Half>(model, "A", halves, [M, K], "Y").Select(h => (double)h).ToArray();

        // float16 inputs and outputs carry ~3 significant digits.
        AssertClose(Reference(halves.Select(h => (float)h).ToArray(), weight.Dequantize(), null), actual, 4e-3);
    }

    private void AssertMatchesReference(QuantizedMatrix weight, float[]? bias)
    {
        var input = Input();
        var model = OrtQuantizedGraphs.MatMulNBits(_dir.Path, weight, M, bias);

        var actual = OrtQuantizedGraphs.Run<float, float>(model, "A", input, [M, K], "Y").Select(v => (double)v).ToArray();

        AssertClose(Reference(input, weight.Dequantize(), bias), actual, 1e-4);
    }

    private static float[] Input()
    {
        var input = QuantizationTestData.Gaussian(M, K, seed: 55);
        for (var i = 0; i < input.Length; i++)
        {
            input[i] *= 50; // activations around 1
        }

        return input;
    }

    /// <summary>Y = A · Wᵀ + bias in float64; W is [N, K] as MatMulNBits stores it.</summary>
    private static double[] Reference(float[] a, float[] w, float[]? bias)
    {
        var y = new double[M * N];
        for (var m = 0; m < M; m++)
        {
            for (var n = 0; n < N; n++)
            {
                double sum = bias?[n] ?? 0;
                for (var k = 0; k < K; k++)
                {
                    sum += (double)a[(m * K) + k] * w[(n * K) + k];
                }

                y[(m * N) + n] = sum;
            }
        }

        return y;
    }

    /// <summary>Every output within <paramref name="relative"/> of the largest reference output's magnitude.</summary>
    private static void AssertClose(double[] expected, double[] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        var tolerance = relative * expected.Max(Math.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"Y[{i / N}, {i % N}]: runtime {actual[i]}, reference {expected[i]}, tolerance {tolerance}");
        }
    }
}
