using Appliance.Inference.Templates;

namespace Appliance.Inference.Tests.Templates;

public sealed class TemplateValueTests
{
    [Theory]
    [InlineData("""{"b": 1, "a": [true, null, "x"]}""", """{"b": 1, "a": [true, null, "x"]}""")]
    [InlineData("""[2.0, 2.5, -0.0, 1e2, 9007199254740993, 1e300]""", "[2, 2.5, 0, 100, 9007199254740993, 1e+300]")]
    [InlineData("\"plain\"", "plain")]
    [InlineData("null", "")]
    public void FromJson_keeps_key_order_and_turns_whole_numbers_into_ints(string json, string rendered) =>
        Assert.Equal(rendered, TemplateValue.FromJson(json).ToString());

    [Fact]
    public void Whole_json_numbers_are_ints_to_the_template() =>
        Assert.Equal("true false", Render("{{ a is integer }} {{ b is integer }}", """{"a": 2.0, "b": 2.5}"""));

    [Fact]
    public void Factories_build_the_matching_values()
    {
        var dict = TemplateValue.Dict([new("k", TemplateValue.From(1L)), new("k", TemplateValue.From(2.5)), new("z", TemplateValue.From((string?)null))]);

        Assert.Equal("{\"k\": 2.5, \"z\": null}", dict.ToString());
        Assert.Equal("[true, \"s\"]", TemplateValue.List([TemplateValue.From(true), TemplateValue.From("s")]).ToString());
        Assert.Equal(string.Empty, TemplateValue.Undefined.ToString());
        Assert.Equal(string.Empty, TemplateValue.None.ToString());
    }

    [Fact]
    public void Context_passes_messages_tokens_tools_and_extra_variables()
    {
        var template = ChatTemplate.Parse(
            "{{ messages|length }} {{ messages[0].role }} {{ add_generation_prompt }} {{ bos_token }}{{ eos_token }} "
            + "{{ tools|length }} {{ documents is defined }} {{ enable_thinking }}");
        var context = new ChatTemplateContext([new ChatMessage("user", "hi"), new ChatMessage("assistant", "yo")])
        {
            AddGenerationPrompt = true,
            BosToken = "<s>",
            EosToken = "</s>",
            Tools = TemplateValue.FromJson("""[{"name": "t"}]"""),
        };
        context.ExtraVariables["enable_thinking"] = TemplateValue.From(false);

        Assert.Equal("2 user true <s></s> 1 false false", template.Render(context));
    }

    [Fact]
    public void Unset_tokens_and_tools_are_undefined() =>
        Assert.Equal("false false false", ChatTemplate.Parse("{{ bos_token is defined }} {{ tools is defined }} {{ add_generation_prompt }}")
            .Render(new ChatTemplateContext(Array.Empty<ChatMessage>())));

    [Fact]
    public void A_template_renders_the_same_for_concurrent_requests()
    {
        var template = ChatTemplate.Parse("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}");
        var results = Enumerable.Range(1, 16).AsParallel()
            .Select(count => (count, text: template.Render(new ChatTemplateContext(Enumerable.Repeat(new ChatMessage("user", "x"), count)))))
            .ToList();

        Assert.All(results, result => Assert.Equal(result.count.ToString(System.Globalization.CultureInfo.InvariantCulture), result.text));
    }

    private static string Render(string template, string variables) => TemplateRendering.Render(template, variables);
}
