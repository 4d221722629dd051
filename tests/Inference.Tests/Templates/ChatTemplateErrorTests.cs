using Appliance.Inference.Templates;
using static Appliance.Inference.Tests.Templates.TemplateRendering;

namespace Appliance.Inference.Tests.Templates;

/// <summary>Broken templates fail with messages that name the line, the column and the construct.</summary>
public sealed class ChatTemplateErrorTests
{
    [Theory]
    [InlineData("a\nb\n{{ x | foo }}", "line 3, column 8: unknown filter 'foo'")]
    [InlineData("{% if x %}\nabc", "line 1, column 4: 'if' is not closed: expected 'elif' or 'else' or 'endif' before the end of the template")]
    [InlineData("{% for m in messages %}\n{% endif %}", "line 2, column 4: unexpected 'endif': expected 'else' or 'endfor' for the 'for' on line 1")]
    [InlineData("{% if x %}{% else %}{% elif y %}{% endif %}", "line 1, column 24: unexpected 'elif': expected 'endif' for the 'if' on line 1")]
    [InlineData("\n\n   {% endfor %}", "line 3, column 7: unexpected 'endfor': no open block to close")]
    [InlineData("{% frobnicate %}", "line 1, column 4: unknown statement 'frobnicate'")]
    [InlineData("{{ x is frob }}", "line 1, column 9: unknown test 'frob'")]
    [InlineData("{{ x + }}", "line 1, column 8: expected a value, found '}}'")]
    [InlineData("{{ f(a=1, 2) }}", "line 1, column 11: positional argument follows keyword argument")]
    [InlineData("{{ 'abc }}", "line 1, column 4: string literal is not closed")]
    [InlineData("{# note", "line 1, column 1: comment '{#' is not closed with '#}'")]
    [InlineData("text {{ x", "line 1, column 6: '{{' is not closed before the end of the template")]
    [InlineData("{{ a ! b }}", "line 1, column 6: unexpected character '!'")]
    [InlineData("{% break %}", "line 1, column 4: 'break' outside of a for loop")]
    [InlineData("{% set 1 = x %}", "line 1, column 8: can only set a name, a tuple of names or a namespace attribute (ns.name)")]
    [InlineData("{% for 1 in x %}{% endfor %}", "line 1, column 8: expected a loop variable name, found '1'")]
    [InlineData("{% for x of y %}{% endfor %}", "line 1, column 10: expected 'in' after the loop variable, found 'of'")]
    [InlineData("{% macro m(a=1, b) %}{% endmacro %}", "line 1, column 17: parameter 'b' without a default follows parameters with defaults")]
    [InlineData("{% raw %}never closed", "line 1, column 1: 'raw' block is not closed with '{% endraw %}'")]
    [InlineData("{{ '\\xZZ' }}", "line 1, column 4: invalid escape sequence '\\xZZ' in string literal")]
    [InlineData("{% if x %}{{ y }", "line 1, column 11: '{{' is not closed before the end of the template")]
    public void Parse_errors_name_line_column_and_construct(string template, string message)
    {
        var error = Assert.Throws<TemplateException>(() => ChatTemplate.Parse(template));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_errors_expose_line_and_column()
    {
        var error = Assert.Throws<TemplateException>(() => ChatTemplate.Parse("ok\n  {{ x | foo }}"));

        Assert.Equal((2, 10), (error.Line, error.Column));
        Assert.Equal("unknown filter 'foo'", error.Detail);
    }

    [Fact]
    public void Positions_count_in_the_original_source_after_whitespace_trimming()
    {
        // lstrip_blocks and trim_blocks remove text before lexing; positions still refer to the source as written.
        var error = Assert.Throws<TemplateException>(() => ChatTemplate.Parse("{% if a %}\n    {% if b %}\n  x {{ y | nope }}\n{% endif %}"));

        Assert.Equal("line 3, column 12: unknown filter 'nope'", error.Message);
    }

    [Theory]
    [InlineData("x\n{{ 'a' + none }}", "line 2, column 8: cannot apply '+' to none (string + none)")]
    [InlineData("{% for m in 5 %}{% endfor %}", "line 1, column 13: cannot iterate over int")]
    [InlineData("{{ message.content.startswith('x') }}", "line 1, column 20: 'message.content.startswith' is undefined, not something that can be called")]
    [InlineData("{% set x = 1 %}{% set x.y = 2 %}", "line 1, column 25: cannot set 'x.y': the target is int, and only namespace() objects can be changed")]
    [InlineData("{% set a, b = [1] %}", "line 1, column 8: cannot unpack 1 values into 2 names")]
    [InlineData("{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}", "line 1, column 34: macro 'm' takes not more than 1 argument(s), got 2")]
    [InlineData("{% macro m(a) %}{% endmacro %}{{ m(b=1) }}", "line 1, column 34: macro 'm' takes no keyword argument 'b'")]
    [InlineData("{% macro m() %}{% endmacro %}{{ m }}", "line 1, column 33: cannot render function 'm' as text; call it with ()")]
    [InlineData("{{ {1: 2} }}", "line 1, column 4: dict keys must be strings, got int")]
    [InlineData("{{ true() }}", "line 1, column 4: bool is not something that can be called")]
    public void Render_errors_name_line_column_and_cause(string template, string message) =>
        Assert.Equal(message, RenderError(template).Message);

    [Fact]
    public void Errors_inside_macros_point_into_the_macro_body()
    {
        var error = RenderError("{% macro m() %}\n  {{ 1 // 0 }}\n{% endmacro %}\n{{ m() }}");

        Assert.Equal("line 2, column 8: division by zero", error.Message);
    }
}
