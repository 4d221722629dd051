using Appliance.Contract;
using Appliance.HomeAssistant;
using Appliance.Mqtt;
using Appliance.Pipeline;
using Appliance.State;
using Microsoft.Extensions.Logging;
using System.Threading.Channels;

namespace Appliance.MqttService;

/// <summary>
/// Keeps the broker's retained view of the box current: the status topic after every state change, and the Home
/// Assistant discovery messages after every (re)connect (a restarted broker may have lost them) and model change.
/// Changes coalesce: a slow broker gets the latest status, not a backlog.
/// </summary>
internal sealed partial class StatusPublisher
{
    private readonly IBrokerConnection _client;
    private readonly ApplianceTopics _topics;
    private readonly ServiceStatusBoard _board;
    private readonly HomeAssistantDiscovery? _discovery;
    private readonly IReadOnlyList<string> _panelButtons;
    private readonly ILogger _logger;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private int _discoveryWanted = 1;
    private string? _discoveredModel;

    public StatusPublisher(
        IBrokerConnection client,
        ApplianceTopics topics,
        ServiceStatusBoard board,
        HomeAssistantDiscovery? discovery,
        IReadOnlyList<string> panelButtons,
        ILogger logger)
    {
        _client = client;
        _topics = topics;
        _board = board;
        _discovery = discovery;
        _panelButtons = panelButtons;
        _logger = logger;
    }

    /// <summary>The retained status message for <paramref name="status"/>; also the will, with state offline.</summary>
    public static MqttMessage StatusMessage(ApplianceTopics topics, ServiceStatus status) => new()
    {
        Topic = topics.Status,
        Payload = ResponsePublisher.Serialize(
            new StatusMessage(
                status.State.ToWireName(), status.Model, ApplianceVersion.Current, status.Detail, status.Problems.IsEmpty ? null : status.Problems),
            ApiJsonContext.Wire.StatusMessage),
        Qos = MqttQualityOfService.AtLeastOnce,
        Retain = true,
        ContentType = "application/json",
        PayloadFormat = MqttPayloadFormat.Utf8,
    };

    /// <summary>Publish the status (again); after a reconnect also the discovery messages.</summary>
    public void Wake(bool withDiscovery = false)
    {
        if (withDiscovery)
        {
            Volatile.Write(ref _discoveryWanted, 1);
        }

        _wake.Writer.TryWrite(true);
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (await _wake.Reader.WaitToReadAsync(stop).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
                var status = _board.Current;
                await PublishAsync(StatusMessage(_topics, status), stop).ConfigureAwait(false);
                if (_discovery is not null && (Interlocked.Exchange(ref _discoveryWanted, 0) == 1 || status.Model != _discoveredModel))
                {
                    _discoveredModel = status.Model;
                    foreach (var message in _discovery.Build(status.Model, _panelButtons))
                    {
                        await PublishAsync(
                            new MqttMessage { Topic = message.Topic, Payload = message.Payload, Qos = MqttQualityOfService.AtLeastOnce, Retain = true },
                            stop).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: the service publishes the offline status itself.
        }
    }

    private async Task PublishAsync(MqttMessage message, CancellationToken stop)
    {
        try
        {
            // QoS 1: waits across a reconnect, so the broker ends up with the latest status.
            await _client.PublishAsync(message, stop).ConfigureAwait(false);
        }
        catch (BrokerConnectionException error)
        {
            LogNotPublished(_logger, message.Topic, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not publish {Topic}: {Reason}")]
    private static partial void LogNotPublished(ILogger logger, string topic, string reason);
}
