using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Inference.Templates;

namespace Appliance.Inference.Tests.Templates;

/// <summary>Builds our render context from the same JSON the reference receives, so both sides see equal inputs.</summary>
internal static class TemplateContexts
{
    public static ChatTemplateContext FromJson(JsonObject context)
    {
        using var document = JsonDocument.Parse(context.ToJsonString());
        var root = document.RootElement;
        var messages = root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(TemplateValue.FromJson).ToList()
            : [];
        var result = new ChatTemplateContext(messages)
        {
            AddGenerationPrompt = root.TryGetProperty("add_generation_prompt", out var prompt) && prompt.GetBoolean(),
            BosToken = root.TryGetProperty("bos_token", out var bos) ? bos.GetString() : null,
            EosToken = root.TryGetProperty("eos_token", out var eos) ? eos.GetString() : null,
            Tools = root.TryGetProperty("tools", out var tools) ? TemplateValue.FromJson(tools) : null,
            Documents = root.TryGetProperty("documents", out var documents) ? TemplateValue.FromJson(documents) : null,
        };
        string[] known = ["messages", "add_generation_prompt", "bos_token", "eos_token", "tools", "documents"];
        foreach (var property in root.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            result.ExtraVariables[property.Name] = TemplateValue.FromJson(property.Value);
        }

        return result;
    }

    /// <summary>Renders with our engine, reporting a failure the way <see cref="OracleResult"/> does.</summary>
    public static OracleResult Render(string id, ChatTemplate? template, TemplateException? parseError, JsonObject context)
    {
        if (template is null)
        {
            return new OracleResult(id, false, null, "parse", parseError!.Message);
        }

        try
        {
            return new OracleResult(id, true, template.Render(FromJson(context)), null, null);
        }
        catch (TemplateException error)
        {
            return new OracleResult(id, false, null, "render", error.Detail);
        }
    }
}
