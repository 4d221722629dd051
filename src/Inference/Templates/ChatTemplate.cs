using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// A parsed chat template (the Jinja subset real tokenizer_config.json templates use). Parse once, render per
/// request; rendering does not change the template, so one instance can serve concurrent renders.
/// Whitespace handling is transformers' (trim_blocks and lstrip_blocks on), as @huggingface/jinja applies it.
/// </summary>
public sealed class ChatTemplate
{
    private readonly List<Statement> body;

    private ChatTemplate(string source, List<Statement> body)
    {
        Source = source;
        this.body = body;
    }

    /// <summary>The template text it was parsed from.</summary>
    public string Source { get; }

    /// <summary>Parses <paramref name="source"/>; a <see cref="TemplateException"/> names the line, column and construct at fault.</summary>
    public static ChatTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ChatTemplate(source, TemplateParser.Parse(source));
    }

    /// <summary>
    /// Renders the conversation into the prompt text. Throws <see cref="TemplateRaisedException"/> when the template
    /// rejects the conversation itself (raise_exception), and <see cref="TemplateException"/> for any other failure.
    /// </summary>
    public string Render(ChatTemplateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scope = new Scope(TemplateGlobals.Scope);
        foreach (var (name, value) in context.Variables())
        {
            scope.Set(name, value);
        }

        var output = new StringBuilder();
        Statement.ExecuteAll(body, scope, new RenderState(context.Clock), output);
        return output.ToString();
    }
}
