using Appliance.Inference.Models;
using Appliance.Inference.Native;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>
/// Drives a converted decoder the two ways contract E allows: feeding each step's present KV back as past, or
/// binding past and present of a layer to one [1, kv_heads, max_length, head_size] buffer.
/// </summary>
internal sealed class DecoderRunner : IDisposable
{
    private static readonly Lazy<OrtEnvironment> Environment = new(() => OrtEnvironment.Create(OrtLoggingLevel.Error, "quantize-tests"));

    private readonly InferenceSession session;
    private readonly GenAiDecoder decoder;
    private readonly bool sharedBuffer;
    private readonly int maxLength;
    private readonly OrtValue[] cache; // per layer: key, value
    private long length;

    public DecoderRunner(string modelDirectory, bool sharedBuffer = false)
    {
        var config = GenAiConfig.Load(Path.Combine(modelDirectory, GenAiConfig.FileName));
        decoder = config.Model.Decoder;
        maxLength = config.Search.MaxLength;
        this.sharedBuffer = sharedBuffer;
        using var options = new SessionOptions { IntraOpThreads = 1 };
        session = new InferenceSession(Environment.Value, Path.Combine(modelDirectory, decoder.Filename), options);
        CacheType = session.Inputs.Single(i => i.Name == "past_key_values.0.key").ElementType;
        long[] cacheShape = [1, decoder.NumKeyValueHeads, sharedBuffer ? maxLength : 0, decoder.HeadSize];
        cache = [.. Enumerable.Range(0, 2 * decoder.NumHiddenLayers).Select(_ => OrtValue.AllocateTensor(CacheType, cacheShape))];
    }

    public TensorElementType CacheType { get; }

    public InferenceSession Session => session;

    /// <summary>Shapes of the present key/value outputs of the last step, layer by layer (key, value, key, ...).</summary>
    public IReadOnlyList<long[]> PresentShapes { get; private set; } = [];

    /// <summary>Runs <paramref name="tokens"/> after everything fed so far; returns the logits and their shape.</summary>
    public (float[] Logits, long[] Shape) Step(params long[] tokens)
    {
        length += tokens.Length;
        using var ids = OrtValue.CreateTensor(new Memory<long>(tokens), [1, tokens.Length]);
        using var mask = OrtValue.CreateTensor(new Memory<long>(Enumerable.Repeat(1L, (int)length).ToArray()), [1, length]);
        return sharedBuffer ? StepShared(ids, mask) : StepFeedingBack(ids, mask);
    }

    public void Dispose()
    {
        foreach (var value in cache)
        {
            value.Dispose();
        }

        session.Dispose();
    }

    private (float[] Logits, long[] Shape) StepFeedingBack(OrtValue ids, OrtValue mask)
    {
        List<string> inputNames = ["input_ids", "attention_mask"];
        List<OrtValue> inputs = [ids, mask];
        List<string> outputNames = ["logits"];
        for (var layer = 0; layer < decoder.NumHiddenLayers; layer++)
        {
            inputNames.AddRange([Layer(decoder.Inputs.PastKeyNames, layer), Layer(decoder.Inputs.PastValueNames, layer)]);
            inputs.AddRange([cache[2 * layer], cache[(2 * layer) + 1]]);
            outputNames.AddRange([Layer(decoder.Outputs.PresentKeyNames, layer), Layer(decoder.Outputs.PresentValueNames, layer)]);
        }

        var outputs = session.Run(inputNames, inputs, outputNames);
        for (var i = 0; i < cache.Length; i++)
        {
            cache[i].Dispose();
            cache[i] = outputs[i + 1];
        }

        PresentShapes = [.. cache.Select(c => c.GetShape())];
        using var logits = outputs[0];
        return (logits.GetTensorSpan<float>().ToArray(), logits.GetShape());
    }

    private (float[] Logits, long[] Shape) StepShared(OrtValue ids, OrtValue mask)
    {
        using var binding = session.CreateIoBinding();
        binding.BindInput(new Utf8Name("input_ids"), ids);
        binding.BindInput(new Utf8Name("attention_mask"), mask);
        binding.BindOutputToCpu(new Utf8Name("logits"));
        for (var layer = 0; layer < decoder.NumHiddenLayers; layer++)
        {
            binding.BindInput(new Utf8Name(Layer(decoder.Inputs.PastKeyNames, layer)), cache[2 * layer]);
            binding.BindInput(new Utf8Name(Layer(decoder.Inputs.PastValueNames, layer)), cache[(2 * layer) + 1]);
            binding.BindOutput(new Utf8Name(Layer(decoder.Outputs.PresentKeyNames, layer)), cache[2 * layer]);
            binding.BindOutput(new Utf8Name(Layer(decoder.Outputs.PresentValueNames, layer)), cache[(2 * layer) + 1]);
        }

        session.Run(binding);
        var outputs = binding.GetOutputValues();
        using var logits = outputs[0];
        var result = (logits.GetTensorSpan<float>().ToArray(), logits.GetShape());
        PresentShapes = [.. outputs.Skip(1).Select(o => o.GetShape())];
        foreach (var output in outputs.Skip(1))
        {
            output.Dispose();
        }

        return result;
    }

    private static string Layer(string template, int layer) => GenAiConfigValidator.LayerName(template, layer);
}
