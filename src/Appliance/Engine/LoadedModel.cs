using Appliance.Inference.Generation;
using Appliance.Inference.Models;

namespace Appliance.Engine;

/// <summary>A checked model directory and its generator, ready to generate (without a tokenizer: raw token ids only).</summary>
internal sealed class LoadedModel(ModelDirectory directory, Generator generator) : IDisposable
{
    public ModelDirectory Directory { get; } = directory;

    public Generator Generator { get; } = generator;

    public void Dispose()
    {
        Generator.Dispose();
    }
}
