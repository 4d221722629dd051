namespace Appliance.Mqtt;

/// <summary>Topic name and topic filter rules (MQTT 5.0, 4.7): what is wrong with one, or null when it is fine.</summary>
public static class MqttTopic
{
    public static string? FindTopicNameProblem(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (topic.Length == 0)
        {
            return "a topic name must not be empty";
        }

        return topic.AsSpan().IndexOfAny('+', '#') >= 0 ? $"topic name '{topic}' contains a wildcard ('+' or '#')" : null;
    }

    public static string? FindTopicFilterProblem(string filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.Length == 0)
        {
            return "a topic filter must not be empty";
        }

        var levelStart = 0;
        for (var i = 0; i <= filter.Length; i++)
        {
            if (i < filter.Length && filter[i] != '/')
            {
                continue;
            }

            var level = filter.AsSpan(levelStart, i - levelStart);
            var wildcard = level.IndexOfAny('+', '#');
            if (wildcard >= 0 && level.Length != 1)
            {
                return $"topic filter '{filter}': a wildcard must fill a whole level, found '{level}'";
            }

            if (level is "#" && i != filter.Length)
            {
                return $"topic filter '{filter}': '#' must be the last level";
            }

            levelStart = i + 1;
        }

        return null;
    }

    /// <summary>Whether the topic name <paramref name="topic"/> matches the (valid) topic filter <paramref name="filter"/> (MQTT 5.0, 4.7.1).</summary>
    public static bool Matches(string filter, string topic)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(topic);

        // Wildcards at the first level do not match topics starting with '$' (4.7.2).
        if (topic.StartsWith('$') && filter.Length > 0 && filter[0] is '+' or '#')
        {
            return false;
        }

        var filterLevels = filter.Split('/');
        var topicLevels = topic.Split('/');
        for (var i = 0; i < filterLevels.Length; i++)
        {
            if (filterLevels[i] == "#")
            {
                return true;
            }

            if (i >= topicLevels.Length || (filterLevels[i] != "+" && filterLevels[i] != topicLevels[i]))
            {
                return false;
            }
        }

        return filterLevels.Length == topicLevels.Length;
    }
}
