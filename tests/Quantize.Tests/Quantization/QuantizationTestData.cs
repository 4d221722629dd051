using Appliance.Inference.Generation;

namespace Appliance.Quantize.Tests.Quantization;

/// <summary>Deterministic weight matrices: N(0, 0.02) like a freshly initialised linear layer, optionally with sparse outliers.</summary>
public static class QuantizationTestData
{
    /// <summary>Bits x block size x symmetric: the configurations every runtime layout test covers.</summary>
    public static TheoryData<int, int, bool> RuntimeConfigurations()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (var bits in new[] { 4, 8 })
        {
            foreach (var blockSize in new[] { 32, 128 })
            {
                data.Add(bits, blockSize, true);
                data.Add(bits, blockSize, false);
            }
        }

        return data;
    }

    public const double StandardDeviation = 0.02;

    public static float[] Gaussian(int rows, int columns, ulong seed)
    {
        var weights = new float[rows * columns];
        DeterministicRandom.ForStream(seed, "quantization-weights").FillGaussian(weights, 0, StandardDeviation);
        return weights;
    }

    /// <summary>Gaussian weights with one in 200 scaled up tenfold: the heavy tails real checkpoints show.</summary>
    public static float[] WithOutliers(int rows, int columns, ulong seed)
    {
        var weights = Gaussian(rows, columns, seed);
        var random = DeterministicRandom.ForStream(seed, "quantization-outliers");
        for (var i = 0; i < weights.Length; i++)
        {
            if (random.NextDouble() < 0.005)
            {
                weights[i] *= 10;
            }
        }

        return weights;
    }
}
