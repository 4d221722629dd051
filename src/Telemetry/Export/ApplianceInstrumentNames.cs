namespace Appliance.Telemetry.Export;

/// <summary>The instrument names of <see cref="Metrics.ApplianceMetrics"/> the JSON payload picks its fields from.</summary>
internal static class ApplianceInstrumentNames
{
    public const string Requests = "appliance.requests";
    public const string PromptTokens = "appliance.prompt_tokens";
    public const string GeneratedTokens = "appliance.generated_tokens";
    public const string TimeToFirstToken = "appliance.time_to_first_token";
    public const string DecodeRate = "appliance.decode_rate";
    public const string Errors = "appliance.errors";
    public const string QueueLength = "appliance.queue_length";

    public const string OutcomeTag = "outcome";
    public const string CodeTag = "code";
    public const string DoneOutcome = "done";
}
