using System.Text.Json.Nodes;
using Appliance.Inference.Templates;

namespace Appliance.Inference.Tests.Templates;

/// <summary>Renders a template string with variables given as JSON.</summary>
internal static class TemplateRendering
{
    public static string Render(string template, string variables = "{}") =>
        ChatTemplate.Parse(template).Render(TemplateContexts.FromJson((JsonObject)JsonNode.Parse(variables)!));

    public static TemplateException RenderError(string template, string variables = "{}") =>
        Assert.ThrowsAny<TemplateException>(() => Render(template, variables));
}
