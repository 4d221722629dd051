using System.Text.Json;

namespace Appliance.Quantize.Quantization;

/// <summary>
/// quantization_report.json: how far each quantized weight tensor drifted from the checkpoint's, written by `convert`
/// next to the model and read back by `eval`, layer by layer.
/// </summary>
public sealed class QuantizationReport
{
    public const string FileName = "quantization_report.json";

    public List<TensorQuantizationError> Tensors { get; set; } = [];

    /// <summary>The report in <paramref name="directory"/>, or null when the model has none (a float model).</summary>
    public static QuantizationReport? TryLoad(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            var report = JsonSerializer.Deserialize(stream, QuantizationReportJsonContext.Default.QuantizationReport);
            return report?.Tensors is null
                ? throw new InvalidDataException($"{path}: expected an object with a \"tensors\" list.")
                : report;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: malformed JSON ({e.Message}).", e);
        }
    }

    public void Add(string tensor, string format, QuantizedMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var error = matrix.Error;
        Tensors.Add(new TensorQuantizationError(
            tensor, format, matrix.Rows, matrix.Columns, matrix.BlockSize, error.MaxAbsError, error.MeanAbsError, error.Rmse, error.RelativeFrobeniusError));
    }

    public void Save(string directory)
    {
        using var stream = File.Create(Path.Combine(directory, FileName));
        JsonSerializer.Serialize(stream, this, QuantizationReportJsonContext.Default.QuantizationReport);
        stream.WriteByte((byte)'\n');
    }
}

/// <summary>One quantized tensor's reconstruction error (see <see cref="ReconstructionStats"/>).</summary>
/// <param name="Tensor">The projection or table, e.g. "model.layers.3.mlp.gate_up_proj" or "model.embed_tokens".</param>
/// <param name="Format">"int4" or "int8".</param>
/// <param name="RelativeError">||W - deq||_F / ||W||_F.</param>
public sealed record TensorQuantizationError(
    string Tensor, string Format, int Rows, int Columns, int BlockSize, double MaxAbsError, double MeanAbsError, double Rmse, double RelativeError);
