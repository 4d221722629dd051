using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Inference.Models;

/// <summary>genai_config.json "model.decoder": the decoder ONNX file and the shapes its KV cache uses.</summary>
public sealed class GenAiDecoder
{
    public GenAiSessionOptions SessionOptions { get; set; } = new();

    /// <summary>Decoder ONNX file, relative to the model directory.</summary>
    public string Filename { get; set; } = "model.onnx";

    public int HeadSize { get; set; }

    public int HiddenSize { get; set; }

    public GenAiDecoderInputs Inputs { get; set; } = new();

    public GenAiDecoderOutputs Outputs { get; set; } = new();

    public int NumAttentionHeads { get; set; }

    public int NumHiddenLayers { get; set; }

    public int NumKeyValueHeads { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
