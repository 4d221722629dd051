namespace Appliance.Inference.Templates;

/// <summary>A macro (or call-block caller) parameter with its optional default.</summary>
internal sealed record MacroParameter(string Name, Expression? Default);
