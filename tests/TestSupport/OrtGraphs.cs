using System.Runtime.InteropServices;
using Appliance.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.TestSupport;

/// <summary>
/// Runs small ONNX graphs through ONNX Runtime's managed API, after the appliance has chosen the library
/// (<see cref="OrtLibrary.EnsureLoaded"/>), the way graph-level tests need.
/// </summary>
public static class OrtGraphs
{
    public static InferenceSession Open(string modelPath, int threads = 1)
    {
        OrtLibrary.EnsureLoaded();
        using var options = new SessionOptions { IntraOpNumThreads = threads };
        return new InferenceSession(modelPath, options);
    }

    /// <summary>A tensor over <paramref name="data"/> (not copied, but a copy for <see cref="Half"/>, which the managed API types as its own Float16).</summary>
    public static OrtValue Tensor<T>(T[] data, params long[] shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(data);
        OrtLibrary.EnsureLoaded();
        return typeof(T) == typeof(Half)
            ? OrtValue.CreateTensorValueFromMemory(MemoryMarshal.Cast<T, Float16>(data).ToArray(), shape)
            : OrtValue.CreateTensorValueFromMemory(data, shape);
    }

    /// <summary>Runs <paramref name="session"/> and copies each named output's elements.</summary>
    public static T[][] Run<T>(InferenceSession session, IReadOnlyList<(string Name, OrtValue Value)> inputs, params string[] outputNames)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(inputs);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [.. inputs.Select(i => i.Name)], [.. inputs.Select(i => i.Value)], outputNames);
        return [.. outputs.Select(o => typeof(T) == typeof(Half)
            ? MemoryMarshal.Cast<Float16, T>(o.GetTensorDataAsSpan<Float16>()).ToArray()
            : o.GetTensorDataAsSpan<T>().ToArray())];
    }

    /// <summary>Opens, runs once and disposes: for one-shot graph checks.</summary>
    public static T[][] Run<T>(string modelPath, IReadOnlyList<(string Name, OrtValue Value)> inputs, params string[] outputNames)
        where T : unmanaged
    {
        using var session = Open(modelPath);
        return Run<T>(session, inputs, outputNames);
    }
}
