using Appliance.Quantize.Conversion;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>The three tiny synthetic (random-weight) checkpoints, each converted once with default options.</summary>
public sealed class TinyModelsFixture : IDisposable
{
    public const ulong Seed = 11;

    private readonly TempDirectory directory = new("h3-conversion");

    public TinyModelsFixture()
    {
        foreach (var shape in new[] { SyntheticShapes.TinyLlama, SyntheticShapes.TinyQwen2, SyntheticShapes.TinyQwen3 })
        {
            var checkpoint = WriteCheckpoint(directory, shape, shape.Name);
            var output = directory.Combine($"{shape.Name}-onnx");
            ModelConverter.Convert(new ConversionOptions(checkpoint, output));
            Checkpoints[shape.Name] = checkpoint;
            Outputs[shape.Name] = output;
        }
    }

    public static TheoryData<string> ShapeNames => [SyntheticShapes.TinyLlama.Name, SyntheticShapes.TinyQwen2.Name, SyntheticShapes.TinyQwen3.Name];

    /// <summary>Hugging Face directory per shape name.</summary>
    public Dictionary<string, string> Checkpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>Converted model directory per shape name.</summary>
    public Dictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    internal static string WriteCheckpoint(TempDirectory directory, SyntheticShape shape, string name)
    {
        var path = directory.Combine(name);
        SyntheticModel.Write(shape, Seed, path);
        return path;
    }

    public void Dispose() => directory.Dispose();
}
