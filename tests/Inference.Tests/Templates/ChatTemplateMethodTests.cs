using System.Text.Json.Nodes;
using Appliance.Inference.Templates;
using static Appliance.Inference.Tests.Templates.TemplateRendering;

namespace Appliance.Inference.Tests.Templates;

/// <summary>String and dict methods, and the global functions.</summary>
public sealed class ChatTemplateMethodTests
{
    [Theory]
    [InlineData("[{{ ' a '.strip() }}|{{ ' a '.lstrip() }}|{{ ' a '.rstrip() }}]", "[a|a | a]")]
    [InlineData("[{{ 'abc'.upper() }}|{{ 'ABC'.lower() }}|{{ 'hi there'.title() }}|{{ 'hi'.capitalize() }}]", "[ABC|abc|Hi There|Hi]")]
    [InlineData("{{ 'a,b,,c'.split(',') }} {{ ' a  b \\n c '.split() }} {{ 'a,b,c'.split(',', 1) }} {{ ' a b c'.split(none, 1) }}", "[\"a\", \"b\", \"\", \"c\"] [\"a\", \"b\", \"c\"] [\"a\", \"b,c\"] [\"a\", \"b c\"]")]
    [InlineData("{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('lo', 'x')) }} {{ 'hello'.startswith(['x', 'h']) }} {{ 'hello'.endswith('x') }}", "true true true false")]
    [InlineData("{{ 'aXbX'.replace('X', '-') }} {{ 'aXbX'.replace('X', '-', 1) }} {{ ', '.join(['a', 'b']) }}", "a-b- a-bX a, b")]
    [InlineData("{{ 'x'.nosuchmethod is defined }}", "false")]
    public void String_methods(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Fact]
    public void Strip_with_characters_strips_only_those_as_python_does() =>
        // qwen3 calls content.lstrip('\n'); the reference ignores the argument and strips all whitespace, which
        // would drop these spaces. Python Jinja (transformers) keeps them, and so do we.
        Assert.Equal("[  answer |\n\n  think]", Render("[{{ '\\n\\n  answer '.lstrip('\\n') }}|{{ '\\n\\n  think\\n'.rstrip('\\n') }}]"));

    [Theory]
    [InlineData("{{ d.get('a') }} {{ d.get('z', 'dflt') }} {{ d.get('z') is none }} {{ d.get(1, 'n') }}", "1 dflt true n")]
    [InlineData("{{ d.keys() }} {{ d.values() }} {{ d.items() }}", "[\"a\", \"b\"] [1, 2] [[\"a\", 1], [\"b\", 2]]")]
    [InlineData("{{ d.keys is callable }} {{ d2.keys }}", "true shadowed")]
    public void Dict_methods(string template, string expected) =>
        Assert.Equal(expected, Render(template, "{\"d\": {\"a\": 1, \"b\": 2}, \"d2\": {\"keys\": \"shadowed\"}}"));

    [Theory]
    [InlineData("{{ range(3) }} {{ range(1, 4) }} {{ range(10, 0, -3) }} {{ range(2, 2) }}", "[0, 1, 2] [1, 2, 3] [10, 7, 4, 1] []")]
    [InlineData("{% for i in range(2) %}{{ i }}{% endfor %}", "01")]
    public void Range_counts_like_python(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ range(0, 5, 0) }}", "range() step must not be zero")]
    [InlineData("{{ range(2000000) }}", "range() of 2000000 numbers is longer than the 1000000 allowed")]
    [InlineData("{{ range('a') }}", "range() needs integers, got string")]
    public void Range_rejects_bad_arguments(string template, string message) =>
        Assert.Contains(message, RenderError(template).Message, StringComparison.Ordinal);

    [Fact]
    public void Strftime_now_formats_the_context_clock()
    {
        var template = ChatTemplate.Parse("{{ strftime_now('%d %b %Y %H:%M:%S %B %A %a %y %j %I%p %% %Q') }}");
        var context = new ChatTemplateContext(Array.Empty<TemplateValue>())
        {
            Clock = new FixedClock(new DateTimeOffset(2025, 3, 7, 14, 5, 9, TimeSpan.Zero)),
        };

        Assert.Equal("07 Mar 2025 14:05:09 March Friday Fri 25 066 02PM % %Q", template.Render(context));
    }

    [Fact]
    public void Raise_exception_reports_the_template_message_unchanged()
    {
        var error = Assert.Throws<TemplateRaisedException>(() => Render("line one\n{{ raise_exception('Roles must alternate') }}"));

        Assert.Equal("Roles must alternate", error.Message);
        Assert.Equal(2, error.Line);
        Assert.Equal(4, error.Column);
    }

    /// <summary>A clock stopped at one instant, in UTC.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
