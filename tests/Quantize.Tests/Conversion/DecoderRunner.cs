using Appliance.Inference.Models;
using Appliance.TestSupport;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Appliance.Quantize.Tests.Conversion;

/// <summary>
/// Drives a converted decoder the two ways contract E allows: feeding each step's present KV back as past, or
/// binding past and present of a layer to one [1, kv_heads, max_length, head_size] buffer.
/// </summary>
internal sealed class DecoderRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly GenAiDecoder decoder;
    private readonly bool sharedBuffer;
    private readonly OrtValue[] cache; // per layer: key, value
    private IDisposableReadOnlyCollection<OrtValue>? fedBack; // owns cache's values after a feeding-back step
    private long length;

    public DecoderRunner(string modelDirectory, bool sharedBuffer = false)
    {
        var config = GenAiConfig.Load(Path.Combine(modelDirectory, GenAiConfig.FileName));
        decoder = config.Model.Decoder;
        this.sharedBuffer = sharedBuffer;
        session = OrtGraphs.Open(Path.Combine(modelDirectory, decoder.Filename));
        CacheType = session.InputMetadata["past_key_values.0.key"].ElementDataType;
        long[] cacheShape = [1, decoder.NumKeyValueHeads, sharedBuffer ? config.Search.MaxLength : 0, decoder.HeadSize];
        cache = [.. Enumerable.Range(0, 2 * decoder.NumHiddenLayers).Select(_ => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, CacheType, cacheShape))];
    }

    public TensorElementType CacheType { get; }

    public InferenceSession Session => session;

    /// <summary>Shapes of the present key/value outputs of the last step, layer by layer (key, value, key, ...).</summary>
    public IReadOnlyList<long[]> PresentShapes { get; private set; } = [];

    /// <summary>Runs <paramref name="tokens"/> after everything fed so far; returns the logits and their shape.</summary>
    public (float[] Logits, long[] Shape) Step(params long[] tokens)
    {
        length += tokens.Length;
        using var ids = OrtValue.CreateTensorValueFromMemory(tokens, [1, tokens.Length]);
        using var mask = OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, (int)length).ToArray(), [1, length]);
        return sharedBuffer ? StepShared(ids, mask) : StepFeedingBack(ids, mask);
    }

    public void Dispose()
    {
        if (fedBack is null)
        {
            foreach (var value in cache)
            {
                value.Dispose();
            }
        }

        fedBack?.Dispose();
        runOptions.Dispose();
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

        var outputs = session.Run(runOptions, inputNames, inputs, outputNames);
        if (fedBack is null)
        {
            foreach (var value in cache)
            {
                value.Dispose();
            }
        }

        fedBack?.Dispose();
        fedBack = outputs;
        var presents = outputs.Skip(1).ToArray();
        presents.CopyTo(cache, 0);
        PresentShapes = [.. cache.Select(c => c.GetTensorTypeAndShape().Shape)];
        var logits = outputs[0];
        return (logits.GetTensorDataAsSpan<float>().ToArray(), logits.GetTensorTypeAndShape().Shape);
    }

    private (float[] Logits, long[] Shape) StepShared(OrtValue ids, OrtValue mask)
    {
        using var binding = session.CreateIoBinding();
        binding.BindInput("input_ids", ids);
        binding.BindInput("attention_mask", mask);
        binding.BindOutputToDevice("logits", OrtMemoryInfo.DefaultInstance);
        for (var layer = 0; layer < decoder.NumHiddenLayers; layer++)
        {
            binding.BindInput(Layer(decoder.Inputs.PastKeyNames, layer), cache[2 * layer]);
            binding.BindInput(Layer(decoder.Inputs.PastValueNames, layer), cache[(2 * layer) + 1]);
            binding.BindOutput(Layer(decoder.Outputs.PresentKeyNames, layer), cache[2 * layer]);
            binding.BindOutput(Layer(decoder.Outputs.PresentValueNames, layer), cache[(2 * layer) + 1]);
        }

        session.RunWithBinding(runOptions, binding);
        using var outputs = binding.GetOutputValues();
        var logits = outputs[0];
        PresentShapes = [.. outputs.Skip(1).Select(o => o.GetTensorTypeAndShape().Shape)];
        return (logits.GetTensorDataAsSpan<float>().ToArray(), logits.GetTensorTypeAndShape().Shape);
    }

    private static string Layer(string template, int layer) => GenAiConfigValidator.LayerName(template, layer);
}
