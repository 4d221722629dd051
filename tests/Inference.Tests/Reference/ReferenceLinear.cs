using Appliance.Quantize.HuggingFace;

namespace Appliance.Inference.Tests.Reference;

/// <summary>y = W x (+ b) with W stored [out, in] as PyTorch does.</summary>
internal sealed class ReferenceLinear
{
    private readonly double[] _weight;
    private readonly double[]? _bias;

    private ReferenceLinear(double[] weight, double[]? bias, int outFeatures, int inFeatures)
    {
        _weight = weight;
        _bias = bias;
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
    }

    public int OutFeatures { get; }

    public int InFeatures { get; }

    public static ReferenceLinear Load(HfCheckpoint checkpoint, string weightName, string? biasName, int outFeatures, int inFeatures)
    {
        var shape = checkpoint.Describe(weightName).Shape;
        if (shape.Length != 2 || shape[0] != outFeatures || shape[1] != inFeatures)
        {
            throw new InvalidDataException($"{weightName}: expected shape [{outFeatures}, {inFeatures}], found [{string.Join(", ", shape)}].");
        }

        var bias = biasName is null ? null : ReferenceTensors.ReadVector(checkpoint, biasName, outFeatures);
        return new ReferenceLinear(ReferenceTensors.Read(checkpoint, weightName), bias, outFeatures, inFeatures);
    }

    public double[] Apply(ReadOnlySpan<double> x)
    {
        var result = new double[OutFeatures];
        for (var row = 0; row < OutFeatures; row++)
        {
            var sum = ReferenceMath.Dot(_weight.AsSpan(row * InFeatures, InFeatures), x);
            result[row] = _bias is null ? sum : sum + _bias[row];
        }

        return result;
    }
}
