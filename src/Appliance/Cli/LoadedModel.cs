using Appliance.Inference.Generation;
using Appliance.Inference.Models;

namespace Appliance.Cli;

/// <summary>A model ready to generate.</summary>
internal sealed class LoadedModel(ModelDirectory directory, Generator generator) : IDisposable
{
    public ModelDirectory Directory { get; } = directory;

    public Generator Generator { get; } = generator;

    public void Dispose()
    {
        Generator.Dispose();
    }
}
