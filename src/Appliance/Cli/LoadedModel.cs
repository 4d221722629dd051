using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Native;

namespace Appliance.Cli;

/// <summary>A model ready to generate, with the ONNX Runtime environment it runs in.</summary>
internal sealed class LoadedModel(ModelDirectory directory, OrtEnvironment environment, Generator generator) : IDisposable
{
    public ModelDirectory Directory { get; } = directory;

    public Generator Generator { get; } = generator;

    public void Dispose()
    {
        Generator.Dispose();
        environment.Dispose();
    }
}
