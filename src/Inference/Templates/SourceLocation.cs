namespace Appliance.Inference.Templates;

/// <summary>A 1-based line and column in the template source (columns count UTF-16 code units).</summary>
internal readonly record struct SourceLocation(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
