using static Appliance.Inference.Tests.Templates.TemplateRendering;

namespace Appliance.Inference.Tests.Templates;

/// <summary>The tests of <c>x is name</c>.</summary>
public sealed class ChatTemplateIsTestTests
{
    [Theory]
    [InlineData("{{ x is defined }} {{ missing is defined }} {{ missing is undefined }} {{ missing is not defined }}", "true false true true")]
    [InlineData("{{ none is none }} {{ n is none }} {{ x is none }} {{ x is not none }}", "true true false true")]
    [InlineData("{{ 'a' is string }} {{ 1 is string }} {{ 1 is number }} {{ 1.5 is number }} {{ true is number }}", "true false true true false")]
    [InlineData("{{ 1 is integer }} {{ 1.5 is integer }} {{ 1.5 is float }} {{ true is boolean }} {{ 1 is boolean }}", "true false true true false")]
    [InlineData("{{ {} is mapping }} {{ [] is mapping }} {{ [] is iterable }} {{ 'a' is iterable }} {{ {} is iterable }}", "true false true true false")]
    [InlineData("{{ [] is sequence }} {{ {} is sequence }} {{ 'a' is sequence }} {{ 5 is sequence }}", "true true true false")]
    [InlineData("{{ 3 is odd }} {{ 4 is even }} {{ 4 is odd }}", "true true false")]
    [InlineData("{{ true is true }} {{ 1 is true }} {{ false is false }} {{ 0 is false }}", "true false true false")]
    [InlineData("{{ 'abc' is lower }} {{ 'aBc' is lower }} {{ 'ABC' is upper }} {{ 5 is upper }}", "true false true false")]
    [InlineData("{{ range is callable }} {{ x is callable }} {{ 'a'.upper is callable }}", "true false true")]
    public void Type_and_value_tests(string template, string expected) =>
        Assert.Equal(expected, Render(template, "{\"x\": 5, \"n\": null}"));

    [Theory]
    [InlineData("{{ 9 is divisibleby 3 }} {{ 9 is divisibleby(2) }} {{ 10 is not divisibleby(5) }}", "true false false")]
    [InlineData("{{ x is eq 5 }} {{ x is equalto(6) }} {{ x is ne 6 }} {{ [5, 6]|select('==', 5)|list }} {{ [5, 6]|reject('<', 6)|list }}", "true false true [5] [6]")]
    [InlineData("{{ x is lt 6 }} {{ x is le 5 }} {{ x is gt 5 }} {{ x is ge 5 }} {{ x is greaterthan 1 }} {{ x is lessthan 1 }}", "true true false true true false")]
    [InlineData("{{ x is in [1, 5] }} {{ 'b' is in 'abc' }} {{ none is sameas none }} {{ x is sameas 5 }}", "true true true false")]
    [InlineData("{{ x is defined and x is odd }} {{ x is divisibleby 5 and true }}", "true true")]
    public void Tests_with_an_argument(string template, string expected) =>
        Assert.Equal(expected, Render(template, "{\"x\": 5}"));

    [Theory]
    [InlineData("{{ 'a' is odd }}", "test 'odd' needs an integer, got string")]
    [InlineData("{{ 4 is divisibleby 0 }}", "divisibleby(0) divides by zero")]
    [InlineData("{{ 4 is divisibleby }}", "test 'divisibleby' needs an argument")]
    [InlineData("{{ 4 is odd(1) }}", "test 'odd' takes at most 0 positional argument(s), got 1")]
    public void Test_misuse_is_reported(string template, string message) =>
        Assert.Contains(message, RenderError(template).Message, StringComparison.Ordinal);
}
