using static Appliance.Inference.Tests.Templates.TemplateRendering;

namespace Appliance.Inference.Tests.Templates;

public sealed class ChatTemplateExpressionTests
{
    [Theory]
    [InlineData("{{ 1 + 2 * 3 }}", "7")]
    [InlineData("{{ (1 + 2) * 3 }}", "9")]
    [InlineData("{{ 10 - 2 - 3 }}", "5")]
    [InlineData("{{ 7 // 2 }} {{ -7 // 2 }}", "3 -4")]
    [InlineData("{{ 7 % 3 }} {{ -7 % 3 }} {{ 7 % -3 }}", "1 2 -2")]
    [InlineData("{{ 7 / 2 }} {{ 4 / 2 }}", "3.5 2.0")]
    [InlineData("{{ 2 ** 10 }} {{ 2 ** 3 ** 2 }} {{ 2 ** -1 }}", "1024 64 0.5")]
    [InlineData("{{ 1.5 + 1 }} {{ 0.1 + 0.2 }} {{ 3 * 1.0 }}", "2.5 0.30000000000000004 3.0")]
    [InlineData("{{ true + 1 }} {{ -true }}", "2 -1")]
    public void Arithmetic_follows_python(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ 1 / 0 }}", "division by zero")]
    [InlineData("{{ 1 // 0 }}", "division by zero")]
    [InlineData("{{ 1 % 0 }}", "modulo by zero")]
    [InlineData("{{ 9223372036854775807 + 1 }}", "integer overflow")]
    [InlineData("{{ [1] - 1 }}", "unsupported operand types for '-': list and int")]
    public void Arithmetic_errors_are_reported(string template, string message) =>
        Assert.Contains(message, RenderError(template).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("{{ 'ab' * 3 }} {{ 2 * 'x' }}", "ababab xx")]
    [InlineData("{{ 'a' + 1 }} {{ 1 + 'a' }} {{ 'x' + 2.0 }}", "a1 1a x2")]
    [InlineData("{{ 'a' ~ 1 ~ 2.5 ~ true ~ 3.0 }}", "a12.5true3")]
    [InlineData("{{ 'a' ~ none ~ missing ~ 'b' }}", "aNoneb")]
    [InlineData("{{ [1] + [2, 3] }}", "[1, 2, 3]")]
    public void Concatenation_and_repetition(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ 1 < 2 }} {{ 2 <= 2 }} {{ 3 > 4 }} {{ 3 >= 4 }}", "true true false false")]
    [InlineData("{{ 'a' < 'b' }} {{ 'b' >= 'a' }}", "true true")]
    [InlineData("{{ 1 == 1.0 }} {{ true == 1 }} {{ 'a' != 'b' }}", "true true true")]
    [InlineData("{{ [1, [2]] == [1, [2]] }} {{ {'a': 1} == {'a': 1} }} {{ {'a': 1} == {'a': 2} }}", "true true false")]
    [InlineData("{{ 2 == '2' }} {{ none == missing }} {{ none == none }} {{ missing == missing }}", "false false true true")]
    public void Comparisons_use_python_equality(string template, string expected) =>
        // The reference compares with JavaScript's == (so 2 == '2' and none == undefined hold, and lists compare
        // by identity); transformers runs Python Jinja, whose answers these are.
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ 'a' in 'cat' }} {{ 'z' not in 'cat' }}", "true true")]
    [InlineData("{{ 2 in [1, 2] }} {{ [2] in [[2]] }} {{ none in [none] }}", "true true true")]
    [InlineData("{{ 'k' in {'k': 1} }} {{ 1 in {'k': 1} }}", "true false")]
    [InlineData("{{ 'q' in missing }} {{ 'q' not in missing }}", "false true")]
    public void Membership(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ true and 'x' }} {{ false or 'y' }} {{ none or [] or 'z' }} {{ 0 and 1 }}", "x y z 0")]
    [InlineData("{{ not 0 }} {{ not not 'a' }} {{ not x == 5 }}", "true true false")]
    [InlineData("{{ 'y' if true else 'n' }} {{ 'y' if false else 'n' }} [{{ 'y' if false }}]", "y n []")]
    [InlineData("{{ 'a' if 0 else 'b' if 1 else 'c' }}", "b")]
    [InlineData("{{ false and undefined_function() }}", "false")]
    public void Logic_short_circuits_and_returns_operands(string template, string expected) =>
        Assert.Equal(expected, Render(template, "{\"x\": 5}"));

    [Theory]
    [InlineData("{{ d.a }} {{ d['a'] }} {{ d.c.deep }}", "1 1 é")]
    [InlineData("[{{ d.missing }}][{{ d.missing.deeper }}][{{ n.attr }}][{{ n['x'] }}]", "[][][][]")]
    [InlineData("{{ l[0] }} {{ l[-1] }} [{{ l[5] }}] {{ l.1 }}", "1 3 [] 2")]
    [InlineData("{{ s[0] }} {{ s[-2] }}", "h l")]
    [InlineData("{{ d['items']()|length }} {{ d.get('a') }}", "3 1")]
    public void Attribute_and_item_access(string template, string expected) =>
        Assert.Equal(expected, Render(template, "{\"d\": {\"a\": 1, \"b\": [1, 2], \"c\": {\"deep\": \"é\"}}, \"l\": [1, 2, 3], \"s\": \"hello\", \"n\": null}"));

    [Fact]
    public void Indexing_a_list_with_a_float_is_an_error() =>
        Assert.Contains("list indices must be integers, got float", RenderError("{{ [1][0.5] }}").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("{{ l[1:] }} {{ l[:2] }} {{ l[::-1] }} {{ l[::2] }} {{ l[-2:] }}", "[2, 3, 4] [1, 2] [4, 3, 2, 1] [1, 3] [3, 4]")]
    [InlineData("{{ l[5:] }} {{ l[1:-1] }} {{ l[-1:0:-1] }} {{ l[3:-1:-1] }}", "[] [2, 3] [4, 3, 2] []")]
    [InlineData("{{ 'hé😀x'[::-1] }} {{ 'abcdef'[1::2] }} {{ 'abc'[-5:5] }}", "x😀éh bdf abc")]
    public void Slices_follow_python(string template, string expected) =>
        Assert.Equal(expected, Render(template, "{\"l\": [1, 2, 3, 4]}"));

    [Fact]
    public void Slice_step_zero_is_an_error() =>
        Assert.Contains("slice step cannot be zero", RenderError("{{ [1][::0] }}").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("[{{ none }}|{{ missing }}|{{ true }}|{{ false }}|{{ 0 }}|{{ '' }}]", "[||true|false|0|]")]
    [InlineData("{{ [1, 'a', none, true, 1.5, 2.0, [2], {'k': 'v'}] }}", "[1, \"a\", null, true, 1.5, 2, [2], {\"k\": \"v\"}]")]
    [InlineData("{{ [missing] }} {{ {'a': missing} }}", "[undefined] {\"a\": undefined}")]
    [InlineData("{{ 1.0 }} {{ -0.0 }} {{ 123456789.125 }} {{ 100000000000000000000.0 }}", "1.0 -0.0 123456789.125 100000000000000000000.0")]
    [InlineData("{{ tiny }} {{ big }} {{ huge }} {{ whole }} {{ ratio }}", "1.5e-7 1e+21 1e+300 2 0.1")]
    public void Values_render_as_the_reference_renders_them(string template, string expected) =>
        Assert.Equal(expected, Render(template, "{\"tiny\": 1.5e-7, \"big\": 1e21, \"huge\": 1e300, \"whole\": 2.0, \"ratio\": 0.1}"));

    [Theory]
    [InlineData("{{ 'it\\'s' }}|{{ \"a\\\"b\" }}|{{ 'tab\\tnew\\nline\\\\' }}", "it's|a\"b|tab\tnew\nline\\")]
    [InlineData("{{ '\\u00e9\\x41\\U0001F600' }}|{{ 'adj' 'acent' }}|{{ 'keep\\d' }}", "éA😀|adjacent|keep\\d")]
    public void String_literals_understand_python_escapes(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Fact]
    public void Dict_literals_may_nest_closing_braces() =>
        Assert.Equal("{\"a\": {\"b\": 1}}", Render("{{ {'a': {'b': 1}} }}"));

    [Fact]
    public void Tuples_index_and_unpack() =>
        Assert.Equal("x 2 12", Render("{% set t = (1, 'x') %}{{ t[1] }} {{ t|length }} {% set a, b = t[0], 2 %}{{ a }}{{ b }}"));
}
