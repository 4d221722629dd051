using Appliance.Inference.Models;

namespace Appliance.Quantize.Conversion;

/// <summary>The model directory a conversion produced, its manifest, and anything the user should know.</summary>
internal sealed record ConversionResult(string OutputDirectory, ModelManifest Manifest, IReadOnlyList<string> Warnings);
