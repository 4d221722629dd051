using Appliance.Inference.Models;

namespace Appliance.Inference.Tests.Models;

public sealed class GenAiConfigValidatorTests
{
    [Fact]
    public void A_complete_config_passes()
    {
        GenAiConfigValidator.Validate(ModelDirectoryBuilder.Config(), "genai_config.json");
    }

    [Fact]
    public void Every_bad_field_is_named_with_its_value()
    {
        var config = ModelDirectoryBuilder.Config();
        config.Model.Decoder.HeadSize = 0;
        config.Model.Decoder.NumAttentionHeads = 3;
        config.Model.Decoder.NumKeyValueHeads = 2;
        config.Model.EosTokenId = [2, 40];
        config.Model.Decoder.Inputs.PastKeyNames = "past_key_values.key";

        var error = Assert.Throws<ModelDirectoryException>(() => GenAiConfigValidator.Validate(config, "m/genai_config.json"));

        Assert.StartsWith("m/genai_config.json: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.decoder.head_size must be positive, found 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.decoder.num_attention_heads (3) is not a multiple of model.decoder.num_key_value_heads (2)", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.eos_token_id 40 is outside the vocabulary [0, 32)", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.decoder.inputs.past_key_names must contain \"%d\"", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eos_token_id 2 ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_eos_token_id_is_an_error()
    {
        var config = ModelDirectoryBuilder.Config();
        config.Model.EosTokenId = [];

        var error = Assert.Throws<ModelDirectoryException>(() => GenAiConfigValidator.Validate(config, "genai_config.json"));

        Assert.Contains("model.eos_token_id is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layer_name_substitutes_the_layer_index()
    {
        Assert.Equal("past_key_values.11.value", GenAiConfigValidator.LayerName("past_key_values.%d.value", 11));
    }
}
