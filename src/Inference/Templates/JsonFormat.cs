namespace Appliance.Inference.Templates;

/// <summary>How <see cref="TemplateJson"/> lays out JSON: the tojson filter's options plus the rendering of lists and dicts.</summary>
internal sealed record JsonFormat(
    int? Indent = null,
    bool EnsureAscii = false,
    bool SortKeys = false,
    string? ItemSeparator = null,
    string? KeySeparator = null,
    bool UndefinedAsNull = true)
{
    /// <summary>How the reference renders a list or dict as text: JSON, with undefined spelled out.</summary>
    public static readonly JsonFormat Display = new(UndefinedAsNull: false);
}
