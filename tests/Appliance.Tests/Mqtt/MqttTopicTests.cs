using Appliance.Mqtt;

namespace Appliance.Tests.Mqtt;

public sealed class MqttTopicTests
{
    [Theory]
    [InlineData("appliance/dev1/request")]
    [InlineData("/leading/slash")]
    [InlineData("$SYS/broker/uptime")]
    public void Topic_names_without_wildcards_are_valid(string topic) => Assert.Null(MqttTopic.FindTopicNameProblem(topic));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/+/b", "wildcard")]
    [InlineData("a/#", "wildcard")]
    public void Invalid_topic_names_say_why(string topic, string problem) =>
        Assert.Contains(problem, MqttTopic.FindTopicNameProblem(topic), StringComparison.Ordinal);

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("a/+/c")]
    [InlineData("a/b/#")]
    [InlineData("+/+/#")]
    [InlineData("$share/group/a/+")]
    public void Filters_with_whole_level_wildcards_are_valid(string filter) => Assert.Null(MqttTopic.FindTopicFilterProblem(filter));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a/#/c", "last level")]
    [InlineData("a/b#", "whole level")]
    [InlineData("a+/b", "whole level")]
    [InlineData("a/++", "whole level")]
    public void Invalid_filters_say_why(string filter, string problem) =>
        Assert.Contains(problem, MqttTopic.FindTopicFilterProblem(filter), StringComparison.Ordinal);
}
