using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Peer.Tests;

/// <summary>
/// The three tiny synthetic (random-weight) checkpoints, each converted by the real `quantize convert` to fp32 and
/// to int4 (block 32), as a user would make them.
/// </summary>
public sealed class TinyPeerModels : IDisposable
{
    private const ulong Seed = 3;
    private readonly TempDirectory _directory = new("appliance-peer");
    private readonly Dictionary<(string Shape, string Precision), string> _models = [];

    public TinyPeerModels()
    {
        foreach (var shape in new[] { SyntheticShapes.TinyLlama, SyntheticShapes.TinyQwen2, SyntheticShapes.TinyQwen3 })
        {
            var checkpoint = _directory.Combine($"{shape.Name}-hf");
            SyntheticModel.Write(shape, Seed, checkpoint);
            foreach (var precision in Precisions)
            {
                var model = _directory.Combine($"{shape.Name}-{precision}");
                ChildProcess.Run(Path.Combine(AppContext.BaseDirectory, "quantize.dll"), ["convert", checkpoint, model, "--precision", precision]);
                _models[(shape.Name, precision)] = model;
            }
        }
    }

    public static IReadOnlyList<string> Precisions { get; } = ["fp32", "int4"];

    public static TheoryData<string, string> All
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var shape in new[] { SyntheticShapes.TinyLlama, SyntheticShapes.TinyQwen2, SyntheticShapes.TinyQwen3 })
            {
                foreach (var precision in Precisions)
                {
                    data.Add(shape.Name, precision);
                }
            }

            return data;
        }
    }

    /// <summary>The model directory of a shape ("tiny-llama") at a precision ("fp32", "int4").</summary>
    public string Model(string shape, string precision) => _models[(shape, precision)];

    public void Dispose() => _directory.Dispose();
}
