namespace Appliance.Benchmarks;

/// <summary>
/// The decode speed memory bandwidth allows: each decode step streams every weight once plus the KV cache so far,
/// so tokens/s can be at most bandwidth / bytes per token. Weights are counted as the decoder's weight files;
/// an embedding table that is only gathered from (untied models) is counted in full, so the bound is conservative.
/// </summary>
internal sealed record DecodeRoofline(long WeightBytes, double KvBytesPerToken, double TokensPerSecond)
{
    public double BytesPerToken => WeightBytes + KvBytesPerToken;

    /// <param name="weightBytes">Bytes of the decoder's weight files.</param>
    /// <param name="kvBytesPerPosition">Keys and values of one position across all layers.</param>
    /// <param name="promptTokens">Prompt length before decoding starts.</param>
    /// <param name="generatedTokens">Tokens generated; the first comes from prefill, each later one from a decode step.</param>
    /// <param name="bandwidthBytesPerSecond">Measured read bandwidth.</param>
    public static DecodeRoofline Compute(long weightBytes, long kvBytesPerPosition, int promptTokens, int generatedTokens, double bandwidthBytesPerSecond)
    {
        // Decode step j (1 .. n-1) attends over promptTokens + j positions; their mean is promptTokens + n / 2.
        var meanPositions = generatedTokens > 1 ? promptTokens + (generatedTokens / 2.0) : promptTokens;
        var kvBytes = meanPositions * kvBytesPerPosition;
        return new DecodeRoofline(weightBytes, kvBytes, bandwidthBytesPerSecond / (weightBytes + kvBytes));
    }
}
