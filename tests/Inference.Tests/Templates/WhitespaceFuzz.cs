using System.Text;
using System.Text.Json.Nodes;

namespace Appliance.Inference.Tests.Templates;

/// <summary>
/// Seeded random templates mixing text (with spaces, tabs, newlines, CRLF and unicode spaces) and every kind of
/// tag, with and without <c>-</c> whitespace control, nested. They check the lexer's whitespace handling
/// (trim_blocks, lstrip_blocks, <c>{%-</c>, <c>-%}</c>, comments) against the reference, where small slips show.
/// </summary>
internal static class WhitespaceFuzz
{
    public const string SuitePrefix = "whitespace-";
    public const int Count = 200;

    private static readonly string[] Whitespace = ["", "", " ", "  ", "\t", "\n", "\n\n", "\r\n", " \n  ", "\n\t", "\u3000", "\u00a0\n", "\ufeff"];
    private static readonly string[] Words = ["a", "b c", "-}", "%}", "#}", "x-}", "}", "-", "é", "😀"];

    public static List<ChatTemplateSuite> Suites()
    {
        var random = new Random(17);
        var suites = new List<ChatTemplateSuite>();
        for (var i = 0; i < Count; i++)
        {
            var template = new StringBuilder();
            Block(random, template, depth: 0);
            var name = $"{SuitePrefix}{i}";
            var context = new JsonObject { ["v"] = "V", ["items"] = new JsonArray(1, 2) };
            suites.Add(new ChatTemplateSuite(name, template.ToString(), [new OracleCase(name, name, context)], []));
        }

        return suites;
    }

    private static void Block(Random random, StringBuilder template, int depth)
    {
        for (var count = random.Next(1, 6); count > 0; count--)
        {
            template.Append(Pick(random, Whitespace));
            switch (random.Next(depth < 3 ? 8 : 4))
            {
                case 0:
                    template.Append(Pick(random, Words));
                    break;
                case 1:
                    template.Append("{{").Append(Dash(random)).Append(" v ").Append(Dash(random)).Append("}}");
                    break;
                case 2:
                    template.Append("{#").Append(Dash(random)).Append(" note ").Append(Dash(random)).Append("#}");
                    break;
                case 3:
                    template.Append(Tag(random, "set w = 'W'"));
                    break;
                case 4 or 5:
                    template.Append(Tag(random, random.Next(2) == 0 ? "if v" : "if not v"));
                    Block(random, template, depth + 1);
                    if (random.Next(2) == 0)
                    {
                        template.Append(Pick(random, Whitespace)).Append(Tag(random, "else"));
                        Block(random, template, depth + 1);
                    }

                    template.Append(Pick(random, Whitespace)).Append(Tag(random, "endif"));
                    break;
                default:
                    template.Append(Tag(random, "for i in items"));
                    Block(random, template, depth + 1);
                    template.Append("{{ i }}").Append(Pick(random, Whitespace)).Append(Tag(random, "endfor"));
                    break;
            }

            template.Append(Pick(random, Whitespace));
        }
    }

    private static string Tag(Random random, string body) => $"{{%{Dash(random)} {body} {Dash(random)}%}}";

    private static string Dash(Random random) => random.Next(3) == 0 ? "-" : string.Empty;

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
