using Appliance.Quantize.HuggingFace;

namespace Appliance.Inference.Tests.Reference;

/// <summary>Reads checkpoint tensors widened to float64.</summary>
internal static class ReferenceTensors
{
    public static double[] Read(HfCheckpoint checkpoint, string name) =>
        Array.ConvertAll(checkpoint.ReadFloat32(name), v => (double)v);

    public static double[] ReadVector(HfCheckpoint checkpoint, string name, int length)
    {
        var values = Read(checkpoint, name);
        return values.Length == length
            ? values
            : throw new InvalidDataException($"{name}: expected {length} values, found {values.Length}.");
    }
}
