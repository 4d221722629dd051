using Appliance.Inference.Models;
using Appliance.Inference.Runtime;
using Appliance.Quantize.Onnx;

namespace Appliance.Inference.Tests.Models;

/// <summary>
/// Writes a small but complete model directory for the model-directory tests: genai_config.json, a decoder ONNX
/// file with one initializer large enough to go to external data, and optionally a manifest.
/// </summary>
internal static class ModelDirectoryBuilder
{
    public const string DataFileName = "model.onnx.data";
    public const int WeightCount = 1024; // 4 KiB of floats: above the writer's inline limit, so it is external

    public static GenAiConfig Config() => new()
    {
        Model = new GenAiModel
        {
            BosTokenId = 1,
            ContextLength = 64,
            EosTokenId = [2],
            PadTokenId = 0,
            Type = "llama",
            VocabSize = 32,
            Decoder = new GenAiDecoder
            {
                Filename = "model.onnx",
                HeadSize = 4,
                HiddenSize = 8,
                NumAttentionHeads = 2,
                NumHiddenLayers = 1,
                NumKeyValueHeads = 1,
            },
        },
        Search = new GenAiSearch { MaxLength = 64, PastPresentShareBuffer = true },
    };

    public static void Write(string directory, bool withManifest)
    {
        Config().Save(Path.Combine(directory, GenAiConfig.FileName));
        using (var writer = new OnnxModelWriter(Path.Combine(directory, "model.onnx"), DataFileName))
        {
            var weights = new float[WeightCount];
            for (var i = 0; i < weights.Length; i++)
            {
                weights[i] = i * 0.5f;
            }

            writer.AddInput("x", OnnxElementType.Float, WeightCount);
            writer.AddOutput("y", OnnxElementType.Float, WeightCount);
            writer.AddNode("Add", ["x", writer.AddInitializer("weight", [WeightCount], weights)], ["y"]);
            writer.Save();
        }

        if (withManifest)
        {
            ModelManifest.Create(
                    directory,
                    [GenAiConfig.FileName, "model.onnx", DataFileName],
                    new ManifestSource("test/tiny", "LlamaForCausalLM", new string('0', 64), "apache-2.0"),
                    new Dictionary<string, string> { ["weights"] = "float32" })
                .Save(directory);
        }
    }
}
