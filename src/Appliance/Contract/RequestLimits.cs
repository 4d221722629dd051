using Appliance.Mqtt;

namespace Appliance.Contract;

/// <summary>Per-request limits and the queue depth (configuration section <see cref="SectionName"/>).</summary>
public sealed class RequestLimits
{
    public const string SectionName = "Requests";

    /// <summary>Requests waiting behind the running one; a request arriving when this many wait gets `busy`.</summary>
    public int QueueDepth { get; set; } = 8;

    /// <summary>Requests for one reply topic that may wait (at most <see cref="QueueDepth"/>); more get `busy`, so one client cannot fill the queue.</summary>
    public int QueueDepthPerReplyTopic { get; set; } = 4;

    /// <summary>Requests per second one reply topic may bring (token bucket refill); beyond it and the burst they get `busy`.</summary>
    public double RatePerReplyTopic { get; set; } = 50;

    /// <summary>How many requests one reply topic may bring at once before <see cref="RatePerReplyTopic"/> applies.</summary>
    public int BurstPerReplyTopic { get; set; } = 100;

    /// <summary>Larger request payloads get `too_large` without being parsed.</summary>
    public int MaxPayloadBytes { get; set; } = 65536;

    /// <summary>max_tokens when a request names none.</summary>
    public int DefaultMaxTokens { get; set; } = 256;

    /// <summary>The largest max_tokens a request may ask for; more is `too_large`.</summary>
    public int MaxTokensCap { get; set; } = 1024;

    /// <summary>Wall-clock limit of one request from the start of its generation; past it the request ends with finish_reason "timeout".</summary>
    public double TimeoutSeconds { get; set; } = 120;

    /// <summary>
    /// Whether the text of special tokens in message content becomes control tokens. Off by default: a client could
    /// otherwise end its turn and forge a system turn; only the chat template's own markup yields control tokens.
    /// </summary>
    public bool SpecialTokensInContent { get; set; }

    /// <summary>
    /// Topic filters a request's reply topic must match (empty: any topic). The service's own topics other than its
    /// response branch and the Home Assistant discovery prefix are refused whatever this says.
    /// </summary>
    public List<string> AllowedReplyTopics { get; } = [];

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>One message per problem, naming the option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (QueueDepth < 1)
        {
            problems.Add($"{SectionName}:QueueDepth must be ≥ 1, got {QueueDepth}");
        }

        if (QueueDepthPerReplyTopic < 1)
        {
            problems.Add($"{SectionName}:QueueDepthPerReplyTopic must be ≥ 1, got {QueueDepthPerReplyTopic}");
        }

        if (!(RatePerReplyTopic > 0) || double.IsInfinity(RatePerReplyTopic))
        {
            problems.Add($"{SectionName}:RatePerReplyTopic must be a positive number of requests per second, got {RatePerReplyTopic}");
        }

        if (BurstPerReplyTopic < 1)
        {
            problems.Add($"{SectionName}:BurstPerReplyTopic must be ≥ 1, got {BurstPerReplyTopic}");
        }

        if (MaxPayloadBytes < 64)
        {
            problems.Add($"{SectionName}:MaxPayloadBytes must be ≥ 64, got {MaxPayloadBytes}");
        }

        if (MaxTokensCap < 1)
        {
            problems.Add($"{SectionName}:MaxTokensCap must be ≥ 1, got {MaxTokensCap}");
        }

        if (DefaultMaxTokens < 1 || DefaultMaxTokens > Math.Max(MaxTokensCap, 1))
        {
            problems.Add($"{SectionName}:DefaultMaxTokens must be between 1 and MaxTokensCap ({MaxTokensCap}), got {DefaultMaxTokens}");
        }

        if (!(TimeoutSeconds > 0) || TimeoutSeconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            problems.Add($"{SectionName}:TimeoutSeconds must be a positive number of seconds, got {TimeoutSeconds}");
        }

        foreach (var filter in AllowedReplyTopics)
        {
            if (MqttTopic.FindTopicFilterProblem(filter) is { } problem)
            {
                problems.Add($"{SectionName}:AllowedReplyTopics: {problem}");
            }
        }

        return problems;
    }
}
