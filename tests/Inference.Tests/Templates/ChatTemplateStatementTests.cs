using static Appliance.Inference.Tests.Templates.TemplateRendering;

namespace Appliance.Inference.Tests.Templates;

public sealed class ChatTemplateStatementTests
{
    [Theory]
    [InlineData("{% if x %}yes{% endif %}", "{\"x\": 1}", "yes")]
    [InlineData("{% if x %}yes{% else %}no{% endif %}", "{\"x\": 0}", "no")]
    [InlineData("{% if x == 1 %}a{% elif x == 2 %}b{% elif x == 3 %}c{% else %}d{% endif %}", "{\"x\": 3}", "c")]
    [InlineData("{% if x == 1 %}a{% elif x == 2 %}b{% else %}d{% endif %}", "{\"x\": 9}", "d")]
    [InlineData("{% if missing %}a{% endif %}", "{}", "")]
    public void If_elif_else_pick_the_first_true_branch(string template, string variables, string expected) =>
        Assert.Equal(expected, Render(template, variables));

    [Fact]
    public void For_loop_exposes_the_loop_variable()
    {
        const string Template = "{% for v in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}"
            + "{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.previtem }}{{ loop.nextitem }}|{% endfor %}";

        Assert.Equal("1032truefalse3b|2121falsefalse3ac|3210falsetrue3b|", Render(Template));
    }

    [Theory]
    [InlineData("{% for v in [] %}x{% else %}empty{% endfor %}", "empty")]
    [InlineData("{% for v in [1, 2] %}{{ v }}{% else %}empty{% endfor %}", "12")]
    [InlineData("{% for v in [1, 2] %}{% continue %}{% else %}E{% endfor %}", "E")]
    [InlineData("{% for v in [1, 2] %}{{ v }}{% break %}{% else %}E{% endfor %}", "1E")]
    public void For_else_runs_when_no_iteration_ran_to_its_end(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Fact]
    public void For_filter_skips_items_before_numbering_them() =>
        Assert.Equal("1/3 3/3 5/3 ", Render("{% for v in [1, 2, 3, 4, 5] if v is odd %}{{ v }}/{{ loop.length }} {% endfor %}"));

    [Theory]
    [InlineData("{% for k in d %}{{ k }}{% endfor %}", "ab")]
    [InlineData("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "a=1;b=2;")]
    [InlineData("{% for (k, v) in d|items %}{{ v }}{% endfor %}", "12")]
    [InlineData("{% for c in 'hé😀' %}[{{ c }}]{% endfor %}", "[h][é][😀]")]
    [InlineData("{% for v in missing %}x{% else %}none{% endfor %}", "none")]
    public void For_walks_dict_keys_pairs_string_characters_and_treats_undefined_as_empty(string template, string expected) =>
        Assert.Equal(expected, Render(template, "{\"d\": {\"a\": 1, \"b\": 2}}"));

    [Fact]
    public void Break_keeps_what_the_iteration_wrote_before_it() =>
        // The reference drops "2" (it discards the interrupted iteration's text); Jinja keeps it, and so do we.
        Assert.Equal("12", Render("{% for v in [1, 2, 3] %}{{ v }}{% if v == 2 %}{% break %}{% endif %}{% endfor %}"));

    [Fact]
    public void Continue_skips_the_rest_of_the_iteration() =>
        Assert.Equal("1a2a3", Render("{% for v in [1, 2, 3] %}{{ v }}{% if v == 3 %}{% continue %}{% endif %}a{% endfor %}"));

    [Fact]
    public void Set_inside_a_loop_lasts_one_iteration_and_does_not_leak() =>
        Assert.Equal("0000", Render("{% set v = 0 %}{% for i in range(3) %}{{ v }}{% set v = v + 1 %}{% endfor %}{{ v }}"));

    [Fact]
    public void Set_inside_if_changes_the_variable() =>
        Assert.Equal("2", Render("{% set v = 1 %}{% if true %}{% set v = 2 %}{% endif %}{{ v }}"));

    [Fact]
    public void Namespace_carries_values_out_of_loops() =>
        Assert.Equal("7 x", Render("{% set ns = namespace(total=1, tag='x') %}{% for i in [1, 2, 3] %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }} {{ ns.tag }}"));

    [Theory]
    [InlineData("{% set ns = namespace({'a': 1}) %}{{ ns.a }}", "1")]
    [InlineData("{% set ns = namespace([['k', 'v']], z=2) %}{{ ns.k }}{{ ns.z }}", "v2")]
    [InlineData("{% set ns = namespace() %}{{ ns.missing is defined }}", "false")]
    public void Namespace_is_built_from_a_dict_pairs_or_keywords(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{% set a, b = 1, 2 %}{{ a }}{{ b }}", "12")]
    [InlineData("{% set a, b = [3, 4] %}{{ b }}{{ a }}", "43")]
    [InlineData("{% set v %}hello {{ 'world' }}{% endset %}[{{ v }}]", "[hello world]")]
    public void Set_unpacks_tuples_and_captures_blocks(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Fact]
    public void Macro_binds_positional_keyword_and_default_arguments() =>
        Assert.Equal(
            "Hi, Ann! Yo, Bob! Hey, Cy! 12",
            Render("{% macro greet(name, greeting='Hi') %}{{ greeting }}, {{ name }}!{% endmacro %}"
                + "{{ greet('Ann') }} {{ greet('Bob', 'Yo') }} {{ greet(greeting='Hey', name='Cy') }} "
                + "{% macro pair(a, b=a + 1) %}{{ a }}{{ b }}{% endmacro %}{{ pair(1) }}"));

    [Fact]
    public void Macro_collects_extra_arguments_in_varargs_and_kwargs_when_it_reads_them() =>
        Assert.Equal("1[2, 3]{\"k\": \"v\"}", Render("{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k='v') }}"));

    [Fact]
    public void Call_block_passes_its_body_as_caller() =>
        Assert.Equal(
            "<b>inner</b> [1][2]",
            Render("{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}inner{% endcall %} "
                + "{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(item) each([1, 2]) %}[{{ item }}]{% endcall %}"));

    [Fact]
    public void Macros_can_recurse() =>
        Assert.Equal("120", Render("{% macro fact(k) %}{% if k <= 1 %}1{% else %}{{ k * fact(k - 1)|int }}{% endif %}{% endmacro %}{{ fact(5) }}"));

    [Fact]
    public void Runaway_recursion_is_stopped_with_an_error()
    {
        var error = RenderError("{% macro loop_forever() %}{{ loop_forever() }}{% endmacro %}{{ loop_forever() }}");

        Assert.Contains("deeper than 64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Filter_block_filters_its_rendered_body() =>
        Assert.Equal("HELLO X bonono", Render("{% filter upper %}hello {{ 'x' }}{% endfilter %} {% filter replace('a', 'o') %}banana{% endfilter %}"));

    [Theory]
    [InlineData("{% raw %}{{ a }} {% if %}{% endraw %}", "{{ a }} {% if %}")]
    [InlineData("x {%- raw -%}  b  {%- endraw -%}  y", "xby")]
    [InlineData("{% raw %}\nline{% endraw %}", "line")]
    public void Raw_blocks_are_written_verbatim(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("a  {{- 'b' -}}  c", "abc")]
    [InlineData("a\n  {% if true %}\n  b\n  {% endif %}\nc\n", "a\n  b\nc")]
    [InlineData("{% for i in [1, 2] %}\n{{ i }}\n{% endfor %}", "1\n2\n")]
    [InlineData("x {#- note -#} y {# kept #} z", "xy  z")]
    [InlineData("  {{ 'x' }}", "  x")]
    [InlineData("a\u3000{%- if true %}b{% endif %}", "ab")]
    [InlineData("a\r\n{% if true %}\r\nb{% endif %}", "a\r\n\r\nb")]
    public void Whitespace_control_matches_transformers_settings(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Fact]
    public void Generation_markers_are_removed_with_the_whitespace_their_dashes_strip() =>
        Assert.Equal("gen|a b c", Render("{% generation %}gen{% endgeneration %}|a  {%- generation %} b {% endgeneration -%}  c"));

    [Fact]
    public void Comments_write_nothing() =>
        Assert.Equal("ab", Render("a{# {{ not rendered }} {% if %} #}b"));
}
