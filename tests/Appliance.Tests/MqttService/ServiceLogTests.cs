using Appliance.Inference.Models;
using Appliance.MqttService;
using Appliance.State;
using Appliance.Tests.Mqtt;
using Appliance.Tests.Panel;
using Microsoft.Extensions.Logging;

namespace Appliance.Tests.MqttService;

/// <summary>What the service's log tells its operator: when it is ready and where, and what really happened at stop.</summary>
public sealed class ServiceLogTests : IClassFixture<PlainBrokerFixture>
{
    private readonly MosquittoBroker _broker;

    public ServiceLogTests(PlainBrokerFixture fixture)
    {
        _broker = fixture.Broker;
    }

    [Fact]
    public async Task One_line_says_the_service_is_ready_with_model_broker_device_and_topics_and_one_that_it_left_ready()
    {
        var log = new ListLogger<MqttDoorService>();
        var url = $"mqtt://127.0.0.1:{_broker.Port}";
        var service = await ServiceHarness.StartAsync(url, new ScriptedEngineLoader(new ScriptedEngine()), logger: log);
        var topics = service.Topics;
        await using (service)
        {
            await using var client = await ReplyObserver.StartAsync(_broker.Port, topics.Response("+"));
            await client.PublishAsync(topics.Request, """{"prompt":"hi","stream":false}""");
            await client.NextFinalAsync();
        }

        var ready = Assert.Single(log.Entries, entry => entry.Message.StartsWith("ready:", StringComparison.Ordinal)).Message;
        Assert.Equal(
            $"ready: model scripted-model, device {topics.DeviceId}, broker {url}; requests on {topics.Request}, plain prompts on {topics.Ask}, " +
            $"cancel on {topics.Cancel}; replies on {topics.Base}/response/<id> unless the request names a topic; status on {topics.Status}",
            ready);
        Assert.Equal("not ready any more: offline", Assert.Single(log.Entries, entry => entry.Message.StartsWith("not ready", StringComparison.Ordinal)).Message);
        Assert.Contains(log.Entries, entry => entry.Message == "stopped: offline status published, disconnected");
    }

    [Fact]
    public async Task Stopping_without_ever_reaching_the_broker_says_so_instead_of_claiming_an_offline_status_was_published()
    {
        var log = new ListLogger<MqttDoorService>();
        var url = $"mqtt://127.0.0.1:{MosquittoBroker.FreeLoopbackPort()}";

        var service = await ServiceHarness.StartAsync(url, new ScriptedEngineLoader(new ScriptedEngine()), waitFor: ServiceState.Loading, logger: log);
        await service.DisposeAsync();

        Assert.Contains(log.Entries, entry => entry.Message == $"stopped: the broker {url} was never reached, so nothing was published");
        Assert.DoesNotContain(log.Entries, entry => entry.Message.Contains("offline status published", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Entries, entry => entry.Message.StartsWith("ready:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_missing_model_file_is_one_error_line_without_a_stack_trace_and_a_bug_keeps_its_stack_trace()
    {
        var missing = new ListLogger<MqttDoorService>();
        var bug = new ListLogger<MqttDoorService>();
        var url = $"mqtt://127.0.0.1:{_broker.Port}";
        var missingFile = new ModelDirectoryException("/models/test/model.onnx: file listed in manifest.json is missing");

        await using (await ServiceHarness.StartAsync(url, new ScriptedEngineLoader { Failure = missingFile }, waitFor: ServiceState.Error, logger: missing))
        {
        }

        await using (await ServiceHarness.StartAsync(url, new ScriptedEngineLoader { Failure = new InvalidOperationException("a bug") }, waitFor: ServiceState.Error, logger: bug))
        {
        }

        var line = Assert.Single(missing.Entries, entry => entry.Level == LogLevel.Error).Message;
        Assert.Equal(
            "the model at /models/test failed to load: /models/test/model.onnx: file listed in manifest.json is missing; the service stays up in state error, answering model_unavailable",
            line);
        Assert.Empty(missing.Exceptions);
        Assert.IsType<InvalidOperationException>(Assert.Single(bug.Exceptions));
    }
}
