namespace Appliance.Inference.Tests.Differential;

/// <summary>How far ONNX Runtime's float32 logits are from the float64 reference at one position.</summary>
internal readonly record struct LogitComparison(double MaxAbsDiff, double MaxAbsReference)
{
    /// <summary>max |ort - ref| / max |ref|: the tolerance measure of the issue.</summary>
    public double Relative => MaxAbsDiff / MaxAbsReference;

    public static LogitComparison Of(ReadOnlySpan<float> actual, double[] reference)
    {
        Assert.Equal(reference.Length, actual.Length);
        double maxDiff = 0, maxRef = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            Assert.True(float.IsFinite(actual[i]), $"logit {i} is {actual[i]}");
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - reference[i]));
            maxRef = Math.Max(maxRef, Math.Abs(reference[i]));
        }

        return new LogitComparison(maxDiff, maxRef);
    }
}
