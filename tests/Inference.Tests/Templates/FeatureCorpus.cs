using System.Text.Json.Nodes;

namespace Appliance.Inference.Tests.Templates;

/// <summary>
/// Small templates, one per construct, filter, test and method the reference supports, each rendered by both
/// sides with the shared variables below. Entries marked as failing must fail on both sides.
/// </summary>
internal static class FeatureCorpus
{
    public const string SuitePrefix = "feature-";

    private const string Variables = """
        {
            "x": 5, "f": 2.5, "tiny": 1.5e-7, "big": 123456789.125, "whole": 4.0, "neg": -0.75,
            "d": {"a": 1, "b": [1, 2], "c": {"deep": "é"}},
            "l": [1, 2, 3], "s": "héllo😀", "e": "", "n": null,
            "users": [
                {"name": "ann", "age": 31, "admin": true},
                {"name": "bob", "age": 25},
                {"name": "Cy", "age": 40, "admin": false}
            ],
            "j": {"text": "quote \" backslash \\ newline \n tab \t ctrl \u0001 bell \u0007 del \u007f é 中 😀 \u2028",
                  "nums": [0, -1, 2.5, 1e-7, 1e21, 123.0], "flags": [true, false, null], "empty": {}, "none": [], "k": {"z": 1, "a": {"y": [1, {}]}}}
        }
        """;

    private static readonly (string Template, bool Fails)[] Entries =
    [
        // Whitespace control, trim_blocks / lstrip_blocks, comments, generation tags.
        ("plain text\n", false),
        ("a  {{- 'b' -}}  c|{{ 'd' -}}\n  e", false),
        ("a\n  {% if true %}\n  b\n  {% endif %}\nc\n", false),
        ("  {%- if true -%}  x  {%- endif -%}  |", false),
        ("{# c #}\nx {#- c -#} y {# c -#}\n z", false),
        ("a {# x #}{%- if true %}b{% endif %}", false),
        ("{% for i in [1, 2] %}\n{{ i }}\n{% endfor %}\n", false),
        ("  {{ 'x' }}\n  {% set a = 1 %}\n{{ a }}\n\t{% if a %}\n\tin\n\t{% endif %}\n", false),
        ("line\r\n{% if true %}\r\nx{% endif %}\r\n", false),
        ("{% generation %}gen{% endgeneration %}|a  {%- generation %} b {% endgeneration -%}  c|x {% generation -%}  y  {%- endgeneration %} z", false),
        ("{%if true%}{{'x'}}{%endif%}{%- if true-%}  y{%-endif-%}", false),
        ("text -}\nmore %}\nand #}\nafter", false),
        ("{{ '{%' }} {{ \"}}\" }} {{ '{#' }} {{ {'a': {'b': 1}} }}", false),
        ("a\n{#- comment -#}\n\nb", false),

        // Literals, operators, precedence.
        ("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 2 ** 3 ** 2 }} {{ 10 - 2 - 3 }}", false),
        ("{{ 1.5 + 1 }} {{ 0.1 + 0.2 }} {{ 1.0 }} {{ 3 * 1.0 }} {{ -0.0 }} {{ 2.5 // 1 }} {{ 1 / 3 }} {{ 4 / 2 }} {{ 2 ** -1 }}", false),
        ("{{ f }} {{ tiny }} {{ big }} {{ whole }} {{ neg }} {{ f * 2 }} {{ x / 2 }} {{ x // 2 }}", false),
        ("{{ 'a' + 1 }} {{ 1 + 'a' }} {{ 'x' + 2.0 }} {{ 'a' ~ 1 ~ 2.5 ~ true ~ 3.0 }} {{ 'v' ~ f }}", false),
        ("{{ 1 < 2 }} {{ 2 <= 2 }} {{ 3 > 4 }} {{ 3 >= 4 }} {{ 1 == 1.0 }} {{ 'a' == 'a' }} {{ 'a' != 'b' }} {{ l == l }} {{ 2 != 3 }}", false),
        ("{{ true and 'x' }} {{ false or 'y' }} {{ none or [] or 'z' }} {{ not 0 }} {{ not not 'a' }} {{ 0 and 1 }} {{ 'a' and 0 }}", false),
        ("{{ 'a' in 'cat' }} {{ 'z' not in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 'q' in missing }} {{ 'q' not in missing }} {{ 'b' in d }}", false),
        ("{{ 'y' if true else 'n' }} {{ 'y' if false else 'n' }} [{{ 'y' if false }}] {{ 'a' if 0 else 'b' if 1 else 'c' }}", false),
        ("{{ -x }} {{ +x }} {{ - 3 }} {{ -(2) }} {{ -f }} {{ 5 - -2 }} {{ [-1, +2] }}", false),
        ("{{ not x == 5 }} {{ not x in l }} {{ x > 1 and x < 10 }} {{ 1 + 2 == 3 }} {{ x is odd and x is not even }}", false),
        ("{{ 'it\\'s' }} {{ \"a\\\"b\" }} {{ 'tab\\tnew\\nline\\\\' }} {{ '\\u00e9\\x41' }} {{ 'adj' 'acent' }} {{ \"mixed 'quotes'\" }}", false),

        // Attribute, item and slice access.
        ("{{ d.a }} {{ d['a'] }} [{{ d.missing }}] {{ d.c.deep }} {{ d['c']['deep'] }} [{{ d.missing.deeper }}] [{{ n.attr }}]", false),
        ("{{ l[0] }} {{ l[-1] }} [{{ l[5] }}] {{ l.0 }} {{ s[1] }} {{ s[-1] }} {{ users[1].name }} {{ users[-1]['age'] }}", false),
        ("{{ l[1:] }} {{ l[:2] }} {{ l[::-1] }} {{ l[::2] }} {{ l[-2:] }} {{ l[5:] }} {{ l[1:-1] }} {{ l[-1:0:-1] }}", false),
        ("{{ s[::-1] }} {{ s[1:3] }} {{ s[:-1] }} {{ 'abcdef'[1::2] }} {{ 'abc'[-5:5] }}", false),

        // Rendering of values.
        ("[{{ none }}|{{ missing }}|{{ true }}|{{ false }}|{{ 0 }}|{{ e }}|{{ n }}]", false),
        ("{{ [1, 'a', none, true, 1.5, 2.0, [2], {'k': 'v'}] }} {{ {'a': 1, 'b': [1, 2]} }} {{ [missing] }} {{ d }} {{ users[0] }}", false),
        ("{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set t = (1, 'x') %}{{ t[1] }}{{ t|length }} {% set c, (z) = [3, 4] %}{{ c }}{{ z }}", false),

        // Statements.
        ("{% for v in [1, 2, 3, 4] %}{% if v == 1 %}one{% elif v == 2 %}two{% elif v == 3 %}three{% else %}many{% endif %},{% endfor %}", false),
        ("{% for v in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.previtem }}{{ loop.nextitem }}|{% endfor %}", false),
        ("{% for v in [] %}x{% else %}empty{% endfor %} {% for v in l %}{{ v }}{% else %}never{% endfor %}", false),
        ("{% for v in [1, 2, 3, 4, 5] if v is odd %}{{ v }}{{ loop.index }}{{ loop.length }}{% endfor %}", false),
        ("{% for k in d %}{{ k }}{% endfor %} {% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %} {% for k, v in d|items %}{{ k }}{% endfor %}", false),
        ("{% for a in [1, 2] %}{% for b in [3, 4] %}{{ loop.index }}{{ a }}{{ b }}{% endfor %}{{ loop.index }}|{% endfor %}", false),
        ("{% for v in [1, 2, 3, 4] %}{% if v == 2 %}{% continue %}{% endif %}{% if v == 4 %}{% break %}{% endif %}{{ v }}{% endfor %}", false),
        ("{% for v in [1, 2] %}{% continue %}{% else %}E{% endfor %}", false),
        ("{% set v = 1 %}{% for i in [1] %}{% set v = 2 %}{{ v }}{% endfor %}{{ v }}{% if true %}{% set v = 3 %}{% endif %}{{ v }}", false),
        ("{% set ns = namespace(a=1, b='x') %}{% for i in [1, 2, 3] %}{% set ns.a = ns.a + i %}{% endfor %}{{ ns.a }}{{ ns.b }} {{ ns }} {{ ns.missing is defined }}", false),
        ("{% set ns = namespace({'a': 1}) %}{{ ns.a }} {% set ns2 = namespace([['k', 'v']], z=2) %}{{ ns2.k }}{{ ns2.z }}", false),
        ("{% set v %}hello {{ 'world' }}{% endset %}[{{ v }}] {% set w -%}\n  trimmed  \n{%- endset %}[{{ w }}]", false),
        ("{% macro greet(name, greeting='Hi') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', 'Yo') }} {{ greet(greeting='Hey', name='Cy') }}", false),
        ("{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k='v') }} {{ m(9) }}", false),
        ("{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}inner {{ x }}{% endcall %}", false),
        ("{% macro each(items) %}{% for i in items %}{{ caller(i) }}{% endfor %}{% endmacro %}{% call(item) each([1, 2]) %}[{{ item }}]{% endcall %}", false),
        ("{% filter upper %}hello {{ 'x' }}{% endfilter %} {% filter replace('a', 'o') %}banana{% endfilter %}", false),
        ("{% macro fact(k) %}{% if k <= 1 %}1{% else %}{{ k * fact(k - 1)|int }}{% endif %}{% endmacro %}{{ fact(5) }}", false),
        ("{% macro shows() %}{{ outer }}{% endmacro %}{% for outer in ['seen'] %}{{ shows() }}{% endfor %}", false),
        ("{% macro d2(a, b=a + 1) %}{{ a }}{{ b }}{% endmacro %}{{ d2(1) }}{{ d2(1, 5) }}", false),
        ("{% for user in users %}{{ user.name }}{{ ', ' if not loop.last }}{% endfor %}", false),

        // Filters.
        ("[{{ '  a b \\n'|trim }}] [{{ '\u00a0\ufeffx\u3000'|trim }}] [{{ '\u0085x\u0085'|trim }}]", false),
        ("{{ j|tojson }}", false),
        ("{{ j|tojson(indent=2) }}", false),
        ("{{ j|tojson(indent=4) }} {{ []|tojson(indent=2) }} {{ {}|tojson(indent=2) }}", false),
        ("{{ j|tojson(ensure_ascii=true) }}", false),
        ("{{ j|tojson(separators=(',', ':')) }} {{ d|tojson(sort_keys=true) }}", false),
        ("{{ users|tojson }} {{ 'str'|tojson }} {{ 5|tojson }} {{ none|tojson }} {{ missing|tojson }} {{ f|tojson }} {{ whole|tojson }}", false),
        ("{{ [1, 2]|length }} {{ 'abc'|length }} {{ d|length }} {{ 'é😀'|length }}", false),
        ("{{ missing|default('d') }} {{ n|default('d') }} {{ e|default('d', true) }} {{ 0|default('d', boolean=true) }} {{ 'x'|default('d') }}", false),
        ("{{ d|items }} {{ d|keys }} {{ d|values }} {{ d|dictsort }} {{ {'b': 1, 'A': 2, 'a': 0}|dictsort }}", false),
        ("{{ 'hello wORLD'|upper }} {{ 'HeLLo'|lower }} {{ 'hello wORLD-x_y z9a'|title }} {{ 'hELLO'|capitalize }}", false),
        ("{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 'abc'|replace('', '-') }} {{ 'a.b'|replace('.', '\\\\') }}", false),
        ("{{ [1, 'a', 2.5, true, none, 3.0]|join }} {{ ['a', 'b']|join(', ') }} {{ 'abc'|join('-') }} {{ 'abc'|join }}", false),
        ("{{ l|list }} {{ l|first }} {{ l|last }} {{ l|reverse }}", false),
        ("{{ ['b', 'A', 'c']|sort }} {{ [3, 1, 2]|sort(reverse=true) }} {{ ['b', 'A', 'c', 'a']|sort(case_sensitive=true) }} {{ users|sort(attribute='age')|map(attribute='name')|join(',') }}", false),
        ("{{ [2, 1.5, true, 0]|sort }} {{ users|sort(attribute='name', reverse=true)|map(attribute='age')|list }}", false),
        ("{{ [1, 2, 1, 'a', 'A', 'a', 1.0]|unique }} {{ users|map(attribute='name')|join(',') }} {{ users|map(attribute='admin', default='?')|list }}", false),
        ("{{ users|map(attribute='missing')|list }} {{ [{'a': {'b': 1}}]|map(attribute='a.b')|list }}", false),
        ("{{ users|selectattr('admin')|map(attribute='name')|join }} {{ users|rejectattr('admin')|map(attribute='name')|join }} {{ users|selectattr('name', 'equalto', 'ann')|list|length }}", false),
        ("{{ users|selectattr('age', 'odd')|map(attribute='name')|join }} {{ users|rejectattr('admin', 'defined')|list|length }}", false),
        ("{{ 1|string }} {{ 1.0|string }} {{ true|string }} {{ [1, 'a']|string }} {{ 'x'|string }} {{ f|string }}", false),
        ("{{ '12abc'|int }} {{ '3.9'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ 3.9|int }} {{ -3.5|int }} {{ '  -12'|int }} {{ true|int }}", false),
        ("{{ '2.5e3x'|float }} {{ '.5'|float }} {{ 'abc'|float }} {{ 'abc'|float(1.5) }} {{ 3|float }} {{ '-Infinity'|float }} {{ false|float }}", false),
        ("{{ -5|abs }} {{ -2.5|abs }} {{ x|abs }}", false),
        ("{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(width=2, blank=true) }}|{{ 'a\\nb'|indent(first=true) }}", false),
        ("{{ '<b>'|safe }} {{ d|safe }}", false),

        // Tests.
        ("{{ x is defined }} {{ missing is undefined }} {{ none is none }} {{ n is none }} {{ 'a' is string }} {{ 1 is number }} {{ f is number }} {{ 1.5 is integer }} {{ 1 is integer }}", false),
        ("{{ {} is mapping }} {{ [] is iterable }} {{ 'a' is iterable }} {{ {} is iterable }} {{ [] is sequence }} {{ d is sequence }} {{ 5 is sequence }} {{ users[0] is mapping }}", false),
        ("{{ 3 is odd }} {{ 4 is even }} {{ true is true }} {{ 0 is false }} {{ false is false }} {{ true is boolean }} {{ 1 is boolean }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ x is not none }}", false),
        ("{{ range is callable }} {{ x is callable }} {{ d.get is callable }} {{ missing is not defined }}", false),

        // String and dict methods, globals.
        ("[{{ ' a '.strip() }}|{{ ' a '.lstrip() }}|{{ ' a '.rstrip() }}|{{ 'abc'.upper() }}{{ 'ABC'.lower() }}|{{ 'hi there'.title() }}|{{ 'hi'.capitalize() }}]", false),
        ("{{ 'a,b,,c'.split(',') }} {{ ' a  b \\n c '.split() }} {{ 'a,b,c'.split(',', 1) }} {{ ' a b c'.split(none, 1) }} {{ 'abc'.split('b', 0) }}", false),
        ("{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('lo', 'x')) }} {{ 'hello'.startswith(['x', 'h']) }} {{ 'hello'.endswith('x') }}", false),
        ("{{ 'aXbX'.replace('X', '-') }} {{ 'aXbX'.replace('X', '-', 1) }} {{ s.upper() }} {{ 'x y'.split(' ')[-1] }}", false),
        ("{{ d.get('a') }} {{ d.get('z', 'dflt') }} {{ d.get('z') is none }} {{ d.keys() }} {{ d.values() }} {{ d.items() }} {{ d['items']()|length }}", false),
        ("{{ range(3) }} {{ range(1, 4) }} {{ range(10, 0, -3) }} {% for i in range(2) %}{{ i }}{% endfor %}", false),

        // Errors on both sides.
        ("{{ 'a' + none }}", true),
        ("{{ l|trim }}", true),
        ("{% for v in 5 %}{% endfor %}", true),
        ("{{ x.y( }}", true),
        ("{% if x %}unclosed", true),
        ("{{ raise_exception('custom failure') }}", true),
        ("{{ missing + 1 }}", true),
        ("{% set x.y = 1 %}", true),
        ("{% unknown %}", true),
        ("{% endif %}", true),
        ("{{ 'abc'|nosuchfilter }}", true),
        ("{{ x is nosuchtest }}", true),
        ("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}", true),
        ("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(b=1) }}", true),
        ("{{ 1 +}}", true),
        ("{{ 'unterminated }}", true),
        ("{# unterminated comment", true),
        ("{{ 5 is odd(1) }}", true),
        ("{{ 'é'|tojson(indent='x') }}", true),
    ];

    public static List<ChatTemplateSuite> Suites() => [.. Entries.Select((entry, index) =>
    {
        var name = $"{SuitePrefix}{index}";
        var variables = (JsonObject)JsonNode.Parse(Variables)!;
        var invalid = entry.Fails ? new HashSet<string> { name } : [];
        return new ChatTemplateSuite(name, entry.Template, [new OracleCase(name, name, variables)], invalid);
    })];
}
