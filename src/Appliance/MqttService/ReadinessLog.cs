using Appliance.Contract;
using Appliance.State;
using Microsoft.Extensions.Logging;

namespace Appliance.MqttService;

/// <summary>
/// One log line when the service becomes ready (the model, the broker, the device id and the topics to use) and one
/// when it stops being ready, so a newcomer reading the log knows when and where to ask. Busy counts as ready: it
/// only means a request is being generated.
/// </summary>
internal sealed partial class ReadinessLog
{
    private readonly ILogger _logger;
    private readonly ApplianceTopics _topics;
    private readonly string _brokerUrl;
    private readonly string _responseTopic;
    private bool _ready;

    public ReadinessLog(ILogger logger, ApplianceTopics topics, string brokerUrl)
    {
        _logger = logger;
        _topics = topics;
        _brokerUrl = brokerUrl;
        _responseTopic = topics.Response("<id>");
    }

    /// <summary>Called with every status, in order.</summary>
    public void Observe(ServiceStatus status)
    {
        var ready = status.State is ServiceState.Ready or ServiceState.Busy;
        if (ready == _ready)
        {
            return;
        }

        _ready = ready;
        if (ready)
        {
            LogReady(_logger, status.Model ?? "(unnamed)", _topics.DeviceId, _brokerUrl, _topics.Request, _topics.Ask, _topics.Cancel, _responseTopic, _topics.Status);
        }
        else
        {
            var state = status.State.ToString().ToLowerInvariant();
            var detail = status.Detail is { } text ? $": {text}" : "";
            LogNotReady(_logger, state, detail);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message =
        "ready: model {Model}, device {DeviceId}, broker {Url}; requests on {Request}, plain prompts on {Ask}, cancel on {Cancel}; " +
        "replies on {Response} unless the request names a topic; status on {Status}")]
    private static partial void LogReady(ILogger logger, string model, string deviceId, string url, string request, string ask, string cancel, string response, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "not ready any more: {State}{Detail}")]
    private static partial void LogNotReady(ILogger logger, string state, string detail);
}
