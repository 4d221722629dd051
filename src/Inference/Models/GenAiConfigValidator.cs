namespace Appliance.Inference.Models;

/// <summary>Checks the genai_config.json fields the generator relies on, naming the field and value that are wrong.</summary>
public static class GenAiConfigValidator
{
    public const string LayerPlaceholder = "%d";

    public static void Validate(GenAiConfig config, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(config);
        var problems = new List<string>();
        var model = config.Model;
        var decoder = model?.Decoder;
        if (model is null || decoder is null)
        {
            throw new ModelDirectoryException($"{sourceName}: \"model\" and \"model.decoder\" are required.");
        }

        RequirePositive(problems, "model.vocab_size", model.VocabSize);
        RequirePositive(problems, "model.context_length", model.ContextLength);
        RequirePositive(problems, "model.decoder.head_size", decoder.HeadSize);
        RequirePositive(problems, "model.decoder.num_hidden_layers", decoder.NumHiddenLayers);
        RequirePositive(problems, "model.decoder.num_attention_heads", decoder.NumAttentionHeads);
        RequirePositive(problems, "model.decoder.num_key_value_heads", decoder.NumKeyValueHeads);
        if (decoder.NumKeyValueHeads > 0 && decoder.NumAttentionHeads % decoder.NumKeyValueHeads != 0)
        {
            problems.Add(
                $"model.decoder.num_attention_heads ({decoder.NumAttentionHeads}) is not a multiple of " +
                $"model.decoder.num_key_value_heads ({decoder.NumKeyValueHeads})");
        }

        if (string.IsNullOrWhiteSpace(decoder.Filename))
        {
            problems.Add("model.decoder.filename is empty");
        }

        if (model.EosTokenId is null || model.EosTokenId.Length == 0)
        {
            problems.Add("model.eos_token_id is missing (an integer or an array of integers)");
        }
        else if (model.VocabSize > 0)
        {
            foreach (var id in model.EosTokenId.Where(id => id < 0 || id >= model.VocabSize))
            {
                problems.Add($"model.eos_token_id {id} is outside the vocabulary [0, {model.VocabSize})");
            }
        }

        if (config.Search is null)
        {
            problems.Add("\"search\" is null");
        }
        else if (config.Search.MaxLength < 0)
        {
            problems.Add($"search.max_length must not be negative, found {config.Search.MaxLength}");
        }

        var inputs = decoder.Inputs;
        var outputs = decoder.Outputs;
        if (inputs is null || outputs is null)
        {
            problems.Add("model.decoder.inputs and model.decoder.outputs are required");
        }
        else
        {
            RequireName(problems, "model.decoder.inputs.input_ids", inputs.InputIds);
            RequireName(problems, "model.decoder.inputs.attention_mask", inputs.AttentionMask);
            RequireName(problems, "model.decoder.outputs.logits", outputs.Logits);
            RequireLayerTemplate(problems, "model.decoder.inputs.past_key_names", inputs.PastKeyNames);
            RequireLayerTemplate(problems, "model.decoder.inputs.past_value_names", inputs.PastValueNames);
            RequireLayerTemplate(problems, "model.decoder.outputs.present_key_names", outputs.PresentKeyNames);
            RequireLayerTemplate(problems, "model.decoder.outputs.present_value_names", outputs.PresentValueNames);
        }

        if (problems.Count > 0)
        {
            throw new ModelDirectoryException($"{sourceName}: {string.Join("; ", problems)}.");
        }
    }

    /// <summary>The name of one layer's tensor: "past_key_values.%d.key" with layer 3 -> "past_key_values.3.key".</summary>
    public static string LayerName(string template, int layer)
    {
        ArgumentNullException.ThrowIfNull(template);
        return template.Replace(LayerPlaceholder, layer.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static void RequirePositive(List<string> problems, string field, int value)
    {
        if (value <= 0)
        {
            problems.Add($"{field} must be positive, found {value}");
        }
    }

    private static void RequireName(List<string> problems, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{field} is empty");
        }
    }

    private static void RequireLayerTemplate(List<string> problems, string field, string? value)
    {
        if (value is null || !value.Contains(LayerPlaceholder, StringComparison.Ordinal))
        {
            problems.Add($"{field} must contain \"{LayerPlaceholder}\" for the layer index, found \"{value}\"");
        }
    }
}
