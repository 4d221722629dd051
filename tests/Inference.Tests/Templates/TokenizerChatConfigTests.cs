using Appliance.Inference.Templates;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Templates;

public sealed class TokenizerChatConfigTests
{
    [Theory]
    [InlineData("llama3", "<|begin_of_text|>", "<|end_of_text|>")]
    [InlineData("qwen3", null, "<|im_end|>")]
    [InlineData("gemma3", "<bos>", "<end_of_turn>")]
    public void Loads_the_template_and_special_tokens_of_real_configs(string package, string? bos, string? eos)
    {
        var config = TokenizerChatConfig.Load(ChatTemplateSuites.TokenizerConfigPath(package));

        Assert.NotNull(config.Template);
        Assert.Equal(bos, config.BosToken);
        Assert.Equal(eos, config.EosToken);
    }

    [Fact]
    public void A_config_without_a_template_says_so_when_one_is_required()
    {
        var path = ChatTemplateSuites.TokenizerConfigPath("llama2");
        var config = TokenizerChatConfig.Load(path);

        Assert.Null(config.Template);
        Assert.Equal("<s>", config.BosToken);
        var error = Assert.Throws<InvalidDataException>(config.RequireTemplate);
        Assert.Equal($"{path}: no chat_template (and no chat_template.jinja or chat_template.json beside it)", error.Message);
    }

    [Fact]
    public void Renders_a_real_conversation_through_the_loaded_config()
    {
        var config = TokenizerChatConfig.Load(ChatTemplateSuites.TokenizerConfigPath("gemma3"));
        var context = config.CreateContext([new ChatMessage("user", " Hi ").ToTemplateValue()], addGenerationPrompt: true);

        Assert.Equal("<bos><start_of_turn>user\nHi<end_of_turn>\n<start_of_turn>model\n", config.RequireTemplate().Render(context));
    }

    [Fact]
    public void Named_templates_use_default_and_added_token_objects_give_their_content()
    {
        const string Json = """
            {
                "chat_template": [
                    {"name": "default", "template": "D{{ bos_token }}"},
                    {"name": "tool_use", "template": "T"}
                ],
                "bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false},
                "eos_token": null
            }
            """;
        var config = TokenizerChatConfig.Parse(Json, "cfg.json");

        Assert.Equal(["default", "tool_use"], config.NamedTemplates.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("D<s>", config.RequireTemplate().Render(config.CreateContext([], addGenerationPrompt: false)));
        Assert.Equal("<s>", config.BosToken);
        Assert.Null(config.EosToken);
    }

    [Fact]
    public void Named_templates_without_default_are_reported()
    {
        var config = TokenizerChatConfig.Parse("""{"chat_template": [{"name": "rag", "template": "R"}]}""", "cfg.json");

        var error = Assert.Throws<InvalidDataException>(config.RequireTemplate);
        Assert.Equal("cfg.json: chat_template has no template named 'default' (has: rag)", error.Message);
    }

    [Fact]
    public void A_chat_template_file_beside_the_config_is_used()
    {
        using var directory = new TempDirectory("chat-config");
        File.WriteAllText(directory.Combine("tokenizer_config.json"), """{"eos_token": "</s>"}""");
        File.WriteAllText(directory.Combine("chat_template.jinja"), "{% for m in messages %}{{ m.content }}{% endfor %}{{ eos_token }}\n");

        var config = TokenizerChatConfig.Load(directory.Combine("tokenizer_config.json"));

        Assert.Equal("hi</s>", config.RequireTemplate().Render(config.CreateContext([new ChatMessage("user", "hi").ToTemplateValue()], false)));
    }

    [Fact]
    public void A_chat_template_json_beside_the_config_is_used()
    {
        using var directory = new TempDirectory("chat-config");
        File.WriteAllText(directory.Combine("tokenizer_config.json"), "{}");
        File.WriteAllText(directory.Combine("chat_template.json"), """{"chat_template": "J"}""");

        var config = TokenizerChatConfig.Load(directory.Combine("tokenizer_config.json"));

        Assert.Equal("J", config.RequireTemplate().Render(config.CreateContext([], false)));
    }

    [Theory]
    [InlineData("""{"chat_template": 5}""", "cfg.json: chat_template must be a string or a list of {name, template} objects, got Number")]
    [InlineData("""{"chat_template": [{"name": "default"}]}""", "cfg.json: chat_template[0] must be an object with string fields 'name' and 'template'")]
    [InlineData("""{"chat_template": "{% if x %}"}""", "cfg.json: chat_template: line 1, column 4: 'if' is not closed: expected 'elif' or 'else' or 'endif' before the end of the template")]
    [InlineData("""{"eos_token": 7}""", "cfg.json: eos_token must be a string, an object with a string 'content', or null; got Number")]
    [InlineData("""[1]""", "cfg.json: expected a JSON object, got Array")]
    public void Bad_configs_are_reported_with_file_and_field(string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => TokenizerChatConfig.Parse(json, "cfg.json"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Invalid_json_is_reported_with_the_file()
    {
        var error = Assert.Throws<InvalidDataException>(() => TokenizerChatConfig.Parse("{", "cfg.json"));

        Assert.StartsWith("cfg.json: not valid JSON:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => TokenizerChatConfig.Load("/nonexistent/tokenizer_config.json"));

        Assert.Contains("/nonexistent/tokenizer_config.json", error.Message, StringComparison.Ordinal);
    }
}
