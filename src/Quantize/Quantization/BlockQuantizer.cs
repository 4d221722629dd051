using System.Globalization;

namespace Appliance.Quantize.Quantization;

/// <summary>
/// Quantizes a [rows, columns] row-major float matrix block-wise along its rows (a PyTorch linear weight [out, in] needs
/// no transpose for MatMulNBits; an embedding [vocab, hidden] is quantized along hidden for GatherBlockQuantized).
/// Rows are processed in parallel; each row's result depends only on that row and the statistics are merged in row
/// order, so the output is identical from run to run.
/// </summary>
public static class BlockQuantizer
{
    private const int RowsPerChunk = 16;

    /// <param name="weights">rows * columns values, row-major.</param>
    /// <param name="tensorName">Named in error messages.</param>
    public static QuantizedMatrix Quantize(
        ReadOnlyMemory<float> weights, int rows, int columns, BlockQuantizationOptions options,
        QuantizedLayout layout = QuantizedLayout.MatMulNBits, string tensorName = "weights")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tensorName);
        options.Validate();
        var geometry = new QuantizedGeometry(rows, columns, options.Bits, options.BlockSize, layout);
        geometry.Validate(tensorName);
        if (weights.Length != (long)rows * columns)
        {
            throw new ArgumentException($"Tensor '{tensorName}': expected {rows} x {columns} = {(long)rows * columns} weights, got {weights.Length}.", nameof(weights));
        }

        var data = new byte[(long)rows * geometry.RowBytes];
        var scales = new float[(long)rows * geometry.BlocksPerRow];
        var zeroPoints = options.Symmetric ? [] : new byte[(long)rows * geometry.ZeroPointBytesPerRow];
        var chunks = new ChunkResult[(rows + RowsPerChunk - 1) / RowsPerChunk];
        var output = new BlockOutput(geometry, options, data, scales, zeroPoints);
        Parallel.For(0, chunks.Length, chunk => chunks[chunk] = QuantizeRows(
            weights, chunk * RowsPerChunk, Math.Min(rows, (chunk + 1) * RowsPerChunk), output));

        var error = default(ReconstructionErrorAccumulator);
        foreach (var chunk in chunks)
        {
            if (chunk.Problem is { } problem)
            {
                throw new ArgumentException($"Tensor '{tensorName}': {problem}", nameof(weights));
            }

            error.Add(chunk.Error);
        }

        return new QuantizedMatrix(geometry, options, data, scales, zeroPoints, error.ToStats());
    }

    private static ChunkResult QuantizeRows(ReadOnlyMemory<float> weights, int firstRow, int endRow, BlockOutput output)
    {
        var geometry = output.Geometry;
        var options = output.Options;
        Span<byte> codes = stackalloc byte[geometry.BlockSize];
        Span<float> codeScratch = options.Method == QuantizationMethod.HalfQuadratic ? stackalloc float[geometry.BlockSize] : [];
        Span<float> targetScratch = options.Method == QuantizationMethod.HalfQuadratic ? stackalloc float[geometry.BlockSize] : [];
        var error = default(ReconstructionErrorAccumulator);
        var source = weights.Span;
        for (var row = firstRow; row < endRow; row++)
        {
            var rowWeights = source.Slice(row * geometry.Columns, geometry.Columns);
            for (var block = 0; block < geometry.BlocksPerRow; block++)
            {
                var start = block * geometry.BlockSize;
                var values = rowWeights.Slice(start, Math.Min(geometry.BlockSize, geometry.Columns - start));
                if (FindNonFinite(values) is var bad && bad >= 0)
                {
                    return new ChunkResult(error, string.Create(
                        CultureInfo.InvariantCulture, $"weight [{row}, {start + bad}] is {values[bad]}; only finite weights can be quantized."));
                }

                var grid = ChooseGrid(values, options, codeScratch, targetScratch);
                if (!float.IsFinite(grid.Scale))
                {
                    return new ChunkResult(error, string.Create(
                        CultureInfo.InvariantCulture, $"block {block} of row {row} needs a scale beyond {options.ScalePrecision}'s range; store scales as Float32."));
                }

                output.Write(row, block, values, grid, codes, ref error);
            }
        }

        return new ChunkResult(error, null);
    }

    private static BlockGrid ChooseGrid(ReadOnlySpan<float> values, BlockQuantizationOptions options, Span<float> codeScratch, Span<float> targetScratch)
    {
        var grid = options.Symmetric
            ? RoundToNearestGrid.Symmetric(values, options.Bits, options.ScalePrecision)
            : RoundToNearestGrid.Asymmetric(values, options.Bits, options.ScalePrecision);
        return options.Method == QuantizationMethod.HalfQuadratic && float.IsFinite(grid.Scale)
            ? HalfQuadraticRefinement.Refine(values, grid, options.MaxCode, options.Symmetric, options.ScalePrecision, codeScratch, targetScratch)
            : grid;
    }

    private static int FindNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private readonly record struct ChunkResult(ReconstructionErrorAccumulator Error, string? Problem);
}
