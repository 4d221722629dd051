using System.Globalization;
using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// Quantizes weight matrices the way the recipe says, records each one's reconstruction error for
/// quantization_report.json, and tells the progress display about every weight tensor written (quantized or not).
/// </summary>
internal sealed class WeightQuantizer(QuantizationRecipe recipe, ConversionProgress? progress)
{
    public QuantizationRecipe Recipe { get; } = recipe;

    public QuantizationReport Report { get; } = new();

    /// <param name="tensor">The graph-side name recorded in the report, e.g. "model.layers.0.mlp.gate_up_proj".</param>
    /// <param name="rows">[<paramref name="rowCount"/>, <paramref name="columns"/>] row-major, quantized along rows.</param>
    /// <param name="origin">The checkpoint tensor(s) named in errors.</param>
    public QuantizedMatrix Quantize(string tensor, float[] rows, int rowCount, int columns, WeightFormat format, string origin)
    {
        QuantizedMatrix matrix;
        try
        {
            matrix = BlockQuantizer.Quantize(rows, rowCount, columns, Recipe.Options(format), QuantizedLayout.MatMulNBits, origin);
        }
        catch (ArgumentException e)
        {
            throw new ConversionException($"Cannot quantize {origin} to {format.Name()}: {e.Message}", e);
        }

        Report.Add(tensor, format.Name(), matrix);
        progress?.Completed(
            tensor,
            (long)rowCount * columns,
            string.Create(CultureInfo.InvariantCulture, $"{format.Name()}, relative error {matrix.Error.RelativeFrobeniusError:P2}"));
        return matrix;
    }

    /// <summary>A weight tensor stored in the graph's float type.</summary>
    public void StoredAsFloat(string tensor, long weights, string typeName) => progress?.Completed(tensor, weights, typeName);
}
