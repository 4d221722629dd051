using static Appliance.Inference.Tests.Templates.TemplateRendering;

namespace Appliance.Inference.Tests.Templates;

public sealed class ChatTemplateFilterTests
{
    private const string Variables = """
        {
            "d": {"b": 1, "a": [1, 2]},
            "users": [{"name": "ann", "age": 31, "admin": true}, {"name": "bob", "age": 25}, {"name": "Cy", "age": 40, "admin": false}],
            "j": {"text": "q\" b\\ n\n t\t c\u0001 é 😀", "nums": [0, -1, 2.5, 1e-7], "flags": [true, false, null], "empty": {}, "none": []}
        }
        """;

    [Theory]
    [InlineData("[{{ '  a b \\n'|trim }}]", "[a b]")]
    [InlineData("[{{ '\u00a0\ufeffx\u3000'|trim }}][{{ '\u0085x'|trim }}]", "[x][\u0085x]")]
    [InlineData("[{{ 'xxaxx'|trim('x') }}]", "[a]")]
    [InlineData("{{ 'hello wORLD'|upper }} {{ 'HeLLo'|lower }}", "HELLO WORLD hello")]
    [InlineData("{{ 'hello wORLD-x_y z9a élan'|title }} {{ 'hELLO'|capitalize }}", "Hello WORLD-X_y Z9a éLan HELLO")]
    [InlineData("{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 'abc'|replace('', '-') }}", "bbb bba -a-b-c-")]
    [InlineData("{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(width=2, blank=true) }}", "a\n    b\n\n    c|  a\n  b|a\n  \n  b")]
    [InlineData("{{ 'a\\nb'|indent('> ') }}", "a\n> b")]
    [InlineData("{{ '<a href=\"x\">&\\'</a>'|e }} {{ '<b>'|escape }} {{ '<b>'|safe }}", "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt; &lt;b&gt; <b>")]
    public void String_filters(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ j|tojson }}", "{\"text\": \"q\\\" b\\\\ n\\n t\\t c\\u0001 é 😀\", \"nums\": [0, -1, 2.5, 1e-7], \"flags\": [true, false, null], \"empty\": {}, \"none\": []}")]
    [InlineData("{{ j.nums|tojson(indent=2) }}", "[\n  0,\n  -1,\n  2.5,\n  1e-7\n]")]
    [InlineData("{{ d|tojson(2) }}", "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    2\n  ]\n}")]
    [InlineData("{{ {}|tojson(indent=2) }} {{ []|tojson(indent=2) }} {{ d|tojson(indent=0) }}", "{} [] {\"b\": 1, \"a\": [1, 2]}")]
    [InlineData("{{ d|tojson(sort_keys=true) }} {{ d|tojson(separators=(',', ':')) }}", "{\"a\": [1, 2], \"b\": 1} {\"b\":1,\"a\":[1,2]}")]
    [InlineData("{{ 'é😀\u007f'|tojson(ensure_ascii=true) }}", "\"\\u00e9\\ud83d\\ude00\\u007f\"")]
    [InlineData("{{ missing|tojson }} {{ none|tojson }} {{ 2.0|tojson }} {{ 'x'|tojson }}", "null null 2 \"x\"")]
    public void Tojson_matches_the_reference_layout(string template, string expected) =>
        Assert.Equal(expected, Render(template, Variables));

    [Theory]
    [InlineData("{{ [1, 2]|length }} {{ 'abc'|length }} {{ d|length }} {{ 'é😀'|length }} {{ missing|length }} {{ [1]|count }}", "2 3 2 3 0 1")]
    [InlineData("{{ missing|default('d') }} {{ none|default('d') }} {{ ''|default('d', true) }} {{ 0|d('z', boolean=true) }} {{ missing|default }}", "d  d z ")]
    [InlineData("{{ d|items }} {{ d|keys }} {{ d|values }} {{ missing|items }}", "[[\"b\", 1], [\"a\", [1, 2]]] [\"b\", \"a\"] [1, [1, 2]] []")]
    [InlineData("{{ {'b': 1, 'A': 2, 'a': 0}|dictsort }} {{ {'b': 1, 'a': 2}|dictsort(by='value', reverse=true) }}", "[[\"A\", 2], [\"a\", 0], [\"b\", 1]] [[\"a\", 2], [\"b\", 1]]")]
    public void Collection_filters(string template, string expected) =>
        Assert.Equal(expected, Render(template, Variables));

    [Theory]
    [InlineData("{{ [1, 'a', 2.5, true, none, 3.0]|join }} {{ ['a', 'b']|join(', ') }} {{ 'abc'|join('-') }}", "1a2.5true3 a, b a-b-c")]
    [InlineData("{{ users|join(', ', attribute='name') }}", "ann, bob, Cy")]
    [InlineData("{{ [1, 2]|list }} {{ 'ab'|list }} {{ d|list }} {{ [1, 2, 3]|first }} {{ [1, 2, 3]|last }} {{ 'xyz'|first }}", "[1, 2] [\"a\", \"b\"] [\"b\", \"a\"] 1 3 x")]
    [InlineData("{{ [1, 2, 3]|reverse }} {{ 'ab😀'|reverse }} [{{ []|first }}]", "[3, 2, 1] 😀ba []")]
    [InlineData("{{ ['b', 'A', 'c']|sort }} {{ [3, 1, 2]|sort(reverse=true) }} {{ ['b', 'A', 'c', 'a']|sort(case_sensitive=true) }}", "[\"A\", \"b\", \"c\"] [3, 2, 1] [\"A\", \"a\", \"b\", \"c\"]")]
    [InlineData("{{ users|sort(attribute='age')|map(attribute='name')|join(',') }} {{ [2, 1.5, true, 0]|sort }}", "bob,ann,Cy [0, true, 1.5, 2]")]
    [InlineData("{{ ['b', 'a', 'B', 'A']|sort }}", "[\"a\", \"A\", \"b\", \"B\"]")]
    [InlineData("{{ [1, 2, 1, 'a', 'A', 'a', 1.0]|unique }}", "[1, 2, \"a\", \"A\"]")]
    public void List_filters(string template, string expected) =>
        Assert.Equal(expected, Render(template, Variables));

    [Fact]
    public void Sort_rejects_values_it_cannot_compare() =>
        Assert.Contains("cannot compare", RenderError("{{ ['a', 1]|sort }}").Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("{{ users|map(attribute='name')|join(',') }} {{ users|map(attribute='admin', default='?')|list }}", "ann,bob,Cy [true, \"?\", false]")]
    [InlineData("{{ [{'a': {'b': 1}}]|map(attribute='a.b')|list }} {{ ['a', 'B']|map('upper')|list }} {{ ['a,b']|map('replace', ',', ';')|list }}", "[1] [\"A\", \"B\"] [\"a;b\"]")]
    [InlineData("{{ users|selectattr('admin')|map(attribute='name')|join }} {{ users|rejectattr('admin')|map(attribute='name')|join }}", "ann bobCy")]
    [InlineData("{{ users|selectattr('name', 'equalto', 'ann')|list|length }} {{ users|selectattr('age', 'odd')|map(attribute='name')|join }}", "1 annbob")]
    [InlineData("{{ users|rejectattr('admin', 'defined')|map(attribute='name')|join }} {{ users|selectattr('age', 'gt', 30)|map(attribute='name')|join }}", "bob annCy")]
    [InlineData("{{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3, 4]|reject('odd')|list }} {{ [0, 1, '', 'a']|select|list }}", "[1, 3] [2, 4] [1, \"a\"]")]
    [InlineData("{{ [3, 6, 7]|select('divisibleby', 3)|list }} {{ ['a', 'b']|reject('in', ['a'])|list }}", "[3, 6] [\"b\"]")]
    public void Map_and_select_filters(string template, string expected) =>
        Assert.Equal(expected, Render(template, Variables));

    [Theory]
    [InlineData("{{ 1|string }} {{ 1.0|string }} {{ true|string }} {{ [1, 'a']|string }} {{ none|string }} {{ missing|string }}|", "1 1.0 true [1, \"a\"] None |")]
    [InlineData("{{ '12abc'|int }} {{ '3.9'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ 3.9|int }} {{ -3.5|int }} {{ '  -12'|int }} {{ true|int }}", "12 3 0 7 3 -4 -12 1")]
    [InlineData("{{ '2.5e3x'|float }} {{ '.5'|float }} {{ 'abc'|float }} {{ 'abc'|float(1.5) }} {{ 3|float }} {{ '-Infinity'|float }}", "2500.0 0.5 0.0 1.5 3.0 -Infinity")]
    [InlineData("{{ -5|abs }} {{ -2.5|abs }} {{ 2.5|round }} {{ 3.5|round }} {{ 3|round }} {{ 2.567|round(2) }} {{ 2.561|round(2, 'ceil') }} {{ 2.569|round(1, 'floor') }}", "5 2.5 2.0 4.0 3 2.57 2.57 2.5")]
    public void Conversion_and_number_filters(string template, string expected) =>
        Assert.Equal(expected, Render(template, Variables));

    [Theory]
    [InlineData("{{ none|selectattr('type', 'equalto', 'tool')|list|length }}|{{ missing|selectattr('a')|list|length }}|{{ none|rejectattr('a')|list|length }}", "0|0|0")]
    [InlineData("{{ none|select|list|length }}|{{ missing|reject('none')|list|length }}|{{ none|map(attribute='a')|list|length }}|{{ none|map('upper')|list|length }}", "0|0|0|0")]
    [InlineData("{{ false|select|list|length }}|{{ ''|map('upper')|list|length }}|{{ 'ab'|select|join(',') }}|{{ {'k': 1}|map('upper')|join }}", "0|0|a,b|K")]
    [InlineData("{{ missing|reverse|list|length }}|{{ missing|join(',') }}|{{ missing|length }}|{{ missing|first is undefined }}|{{ missing|sort|list|length }}|{{ missing|unique|list|length }}", "0||0|true|0|0")]
    public void Sequence_filters_on_none_and_undefined_behave_as_in_python_jinja(string template, string expected) =>
        Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ none|join }}", "filter 'join' needs a list, got none")]
    [InlineData("{{ none|length }}", "filter 'length' needs a list, string or dict, got none")]
    [InlineData("{{ none|first }}", "filter 'first' needs a list, got none")]
    [InlineData("{{ none|list }}", "filter 'list' cannot convert none")]
    [InlineData("{{ none|sort }}", "filter 'sort' needs a list, got none")]
    [InlineData("{{ 5|select|list }}", "cannot iterate over int")]
    public void Sequence_filters_that_python_jinja_refuses_on_none_are_errors(string template, string message) =>
        Assert.Contains(message, RenderError(template).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("{{ [1]|trim }}", "filter 'trim' needs a string, got list")]
    [InlineData("{{ 5|upper }}", "filter 'upper' needs a string, got int")]
    [InlineData("{{ 5|length }}", "filter 'length' needs a list, string or dict, got int")]
    [InlineData("{{ 'x'|tojson(indent='x') }}", "tojson indent must be an integer")]
    [InlineData("{{ [1]|map }}", "map needs attribute='name' or the name of a filter")]
    [InlineData("{{ [1]|map('nosuch')|list }}", "unknown filter 'nosuch'")]
    [InlineData("{{ [1]|selectattr('a')|list }}", "selectattr needs a list of dicts, got a list holding int")]
    [InlineData("{{ 'x'|trim(1, 2) }}", "trim takes at most 1 positional argument(s), got 2")]
    [InlineData("{{ 'x'|upper(width=2) }}", "upper got an unexpected keyword argument 'width'")]
    public void Filter_misuse_is_reported(string template, string message) =>
        Assert.Contains(message, RenderError(template).Message, StringComparison.Ordinal);
}
