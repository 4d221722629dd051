using System.Text.Json;

namespace Appliance.Inference.Structured;

/// <summary>A tool a model may call: its name and the JSON schema of its arguments (an object schema).</summary>
public sealed record ToolDefinition(string Name, JsonElement Parameters);
