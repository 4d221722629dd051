using Appliance.Contract;
using Appliance.Mqtt;

namespace Appliance.MqttService;

/// <summary>
/// Which topics a request may name for its replies (MQTT 5 Response Topic or reply_to). Never the service's own topic
/// tree other than its `response/` branch (a reply on `…/ask` or `…/request` would make the service feed itself, one
/// on `…/status` would overwrite its status) and never under the Home Assistant discovery prefix (a reply there would
/// define devices). When <see cref="RequestLimits.AllowedReplyTopics"/> lists filters, only topics matching one of them and the
/// service's own response branch (where replies go by default).
/// </summary>
internal sealed class ReplyTopicPolicy
{
    private readonly ApplianceTopics _topics;
    private readonly string _responseBranch;
    private readonly string _discoveryPrefix;
    private readonly IReadOnlyList<string> _allowed;

    public ReplyTopicPolicy(ApplianceTopics topics, string discoveryPrefix, IReadOnlyList<string> allowedFilters)
    {
        _topics = topics;
        _responseBranch = topics.Of(ApplianceTopics.ResponseName);
        _discoveryPrefix = discoveryPrefix;
        _allowed = allowedFilters;
    }

    /// <summary>Why replies must not go to <paramref name="topic"/>, or null when they may.</summary>
    public string? FindProblem(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (MqttTopic.FindTopicNameProblem(topic) is { } invalid)
        {
            // An MQTT 5 Response Topic that no message can be published to (empty, or with a wildcard).
            return $"reply topic refused: {invalid}";
        }

        if (IsUnder(topic, _responseBranch))
        {
            return null;
        }

        if (IsUnder(topic, _topics.Base))
        {
            return $"reply topic '{topic}' is refused: replies may not go into the service's own topics ({_topics.Base}/…) other than {_responseBranch}/…";
        }

        if (IsUnder(topic, _discoveryPrefix))
        {
            return $"reply topic '{topic}' is refused: replies may not go under the Home Assistant discovery prefix ({_discoveryPrefix}/…)";
        }

        if (_allowed.Count > 0 && !_allowed.Any(filter => MqttTopic.Matches(filter, topic)))
        {
            return $"reply topic '{topic}' is refused: it matches none of Requests:AllowedReplyTopics ({string.Join(", ", _allowed)})";
        }

        return null;
    }

    private static bool IsUnder(string topic, string prefix) =>
        topic.StartsWith(prefix, StringComparison.Ordinal) && (topic.Length == prefix.Length || topic[prefix.Length] == '/');
}
