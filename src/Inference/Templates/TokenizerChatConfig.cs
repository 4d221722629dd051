using System.Text.Json;

namespace Appliance.Inference.Templates;

/// <summary>
/// The chat-template part of a Hugging Face tokenizer_config.json: the template (a string, or a list of named
/// templates of which "default" is used) and the bos/eos tokens (strings or AddedToken objects). When the config
/// has no chat_template, a chat_template.jinja or chat_template.json beside it is used, as newer exports store it there.
/// </summary>
public sealed class TokenizerChatConfig
{
    private const string DefaultTemplateName = "default";

    private TokenizerChatConfig(
        string source, IReadOnlyDictionary<string, ChatTemplate> templates, string? bosToken, string? eosToken)
    {
        Source = source;
        NamedTemplates = templates;
        BosToken = bosToken;
        EosToken = eosToken;
    }

    /// <summary>Where the template came from (a file path, or the name given to <see cref="Parse"/>).</summary>
    public string Source { get; }

    /// <summary>All templates by name; a single string template is named "default".</summary>
    public IReadOnlyDictionary<string, ChatTemplate> NamedTemplates { get; }

    /// <summary>The "default" template, or null when the model ships none.</summary>
    public ChatTemplate? Template => NamedTemplates.GetValueOrDefault(DefaultTemplateName);

    public string? BosToken { get; }

    public string? EosToken { get; }

    /// <summary>Reads tokenizer_config.json (and a chat_template.jinja/.json beside it when the config has no template).</summary>
    public static TokenizerChatConfig Load(string tokenizerConfigPath)
    {
        ArgumentNullException.ThrowIfNull(tokenizerConfigPath);
        if (!File.Exists(tokenizerConfigPath))
        {
            throw new FileNotFoundException($"tokenizer config not found: {tokenizerConfigPath}", tokenizerConfigPath);
        }

        return Parse(File.ReadAllText(tokenizerConfigPath), tokenizerConfigPath, Path.GetDirectoryName(Path.GetFullPath(tokenizerConfigPath)));
    }

    /// <summary>
    /// Parses tokenizer_config.json text. <paramref name="source"/> names it in error messages;
    /// <paramref name="directory"/>, when given, is searched for chat_template.jinja / chat_template.json.
    /// </summary>
    public static TokenizerChatConfig Parse(string json, string source, string? directory = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{source}: not valid JSON: {error.Message}", error);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{source}: expected a JSON object, got {root.ValueKind}");
            }

            var templates = root.TryGetProperty("chat_template", out var field) && field.ValueKind != JsonValueKind.Null
                ? ReadTemplates(field, source)
                : ReadSideFile(directory);
            return new TokenizerChatConfig(
                source, templates, ReadToken(root, "bos_token", source), ReadToken(root, "eos_token", source));
        }
    }

    /// <summary>The default template; throws naming the file when the model has none.</summary>
    public ChatTemplate RequireTemplate() => Template ?? throw new InvalidDataException(NamedTemplates.Count == 0
        ? $"{Source}: no chat_template (and no chat_template.jinja or chat_template.json beside it)"
        : $"{Source}: chat_template has no template named '{DefaultTemplateName}' (has: {string.Join(", ", NamedTemplates.Keys)})");

    /// <summary>A render context for <paramref name="messages"/> carrying this config's bos/eos tokens.</summary>
    public ChatTemplateContext CreateContext(IEnumerable<TemplateValue> messages, bool addGenerationPrompt, TemplateValue? tools = null) =>
        new(messages) { AddGenerationPrompt = addGenerationPrompt, BosToken = BosToken, EosToken = EosToken, Tools = tools };

    private static Dictionary<string, ChatTemplate> ReadTemplates(JsonElement field, string source)
    {
        var templates = new Dictionary<string, ChatTemplate>(StringComparer.Ordinal);
        switch (field.ValueKind)
        {
            case JsonValueKind.String:
                templates[DefaultTemplateName] = ParseTemplate(field.GetString()!, source, "chat_template");
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var entry in field.EnumerateArray())
                {
                    if (entry.ValueKind != JsonValueKind.Object
                        || !entry.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                        || !entry.TryGetProperty("template", out var text) || text.ValueKind != JsonValueKind.String)
                    {
                        throw new InvalidDataException(
                            $"{source}: chat_template[{index}] must be an object with string fields 'name' and 'template'");
                    }

                    templates[name.GetString()!] = ParseTemplate(text.GetString()!, source, $"chat_template '{name.GetString()}'");
                    index++;
                }

                break;
            default:
                throw new InvalidDataException(
                    $"{source}: chat_template must be a string or a list of {{name, template}} objects, got {field.ValueKind}");
        }

        return templates;
    }

    private static Dictionary<string, ChatTemplate> ReadSideFile(string? directory)
    {
        if (directory is null)
        {
            return [];
        }

        var jinjaPath = Path.Combine(directory, "chat_template.jinja");
        if (File.Exists(jinjaPath))
        {
            return new(StringComparer.Ordinal) { [DefaultTemplateName] = ParseTemplate(File.ReadAllText(jinjaPath), jinjaPath, "template") };
        }

        var jsonPath = Path.Combine(directory, "chat_template.json");
        if (!File.Exists(jsonPath))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(jsonPath));
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("chat_template", out var field)
            ? ReadTemplates(field, jsonPath)
            : throw new InvalidDataException($"{jsonPath}: expected an object with a 'chat_template' field");
    }

    private static ChatTemplate ParseTemplate(string text, string source, string what)
    {
        try
        {
            return ChatTemplate.Parse(text);
        }
        catch (TemplateException error)
        {
            throw new InvalidDataException($"{source}: {what}: {error.Message}", error);
        }
    }

    /// <summary>A special token given as a string, an AddedToken object (its "content"), or null.</summary>
    private static string? ReadToken(JsonElement root, string field, string source)
    {
        if (!root.TryGetProperty(field, out var token))
        {
            return null;
        }

        return token.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => token.GetString(),
            JsonValueKind.Object when token.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                => content.GetString(),
            _ => throw new InvalidDataException(
                $"{source}: {field} must be a string, an object with a string 'content', or null; got {token.ValueKind}"),
        };
    }
}
