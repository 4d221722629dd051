using Appliance.Inference.Native;

namespace Appliance.Inference.Tests.Native;

/// <summary>One ONNX Runtime environment shared by the tests (ONNX Runtime keeps a single process-wide environment anyway).</summary>
internal static class OrtTestEnvironment
{
    private static readonly Lazy<OrtEnvironment> LazyInstance = new(() => OrtEnvironment.Create(OrtLoggingLevel.Error, "tests"));

    public static OrtEnvironment Instance => LazyInstance.Value;

    public static InferenceSession Open(string modelPath)
    {
        using var options = new SessionOptions { IntraOpThreads = 1 };
        return new InferenceSession(Instance, modelPath, options);
    }
}
