using Appliance.Quantize.Conversion;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>The three tiny synthetic (random-weight) checkpoints, each converted to fp32, int4 and int8 with the default recipe.</summary>
public sealed class QuantizedModelsFixture : IDisposable
{
    private readonly TempDirectory directory = new("h3-quantized");
    private readonly Dictionary<(string Shape, string Precision), string> outputs = [];

    public QuantizedModelsFixture()
    {
        foreach (var shape in new[] { SyntheticShapes.TinyLlama, SyntheticShapes.TinyQwen2, SyntheticShapes.TinyQwen3 })
        {
            var checkpoint = TinyModelsFixture.WriteCheckpoint(directory, shape, shape.Name);
            Checkpoints[shape.Name] = checkpoint;
            foreach (var precision in new[] { ConversionPrecision.Fp32, ConversionPrecision.Int4, ConversionPrecision.Int8 })
            {
                var output = directory.Combine($"{shape.Name}-{precision.Name()}");
                ModelConverter.Convert(new ConversionOptions(checkpoint, output, precision));
                outputs[(shape.Name, precision.Name())] = output;
            }
        }
    }

    public static TheoryData<string> ShapeNames => TinyModelsFixture.ShapeNames;

    /// <summary>Hugging Face directory per shape name.</summary>
    public Dictionary<string, string> Checkpoints { get; } = new(StringComparer.Ordinal);


    /// <summary>The converted model directory of a shape ("tiny-llama") at a precision ("fp32", "int4", "int8").</summary>
    public string Output(string shape, string precision) => outputs[(shape, precision)];

    public void Dispose() => directory.Dispose();
}
