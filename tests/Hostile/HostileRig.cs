using System.Text.Json;
using Appliance.Mqtt;
using Appliance.Tests.Hosting;
using Appliance.Tests.Mqtt;
using Appliance.TestSupport;

namespace Appliance.Hostile;

/// <summary>A Mosquitto on a free loopback port and the real `appliance serve` on it, ready; clients made on demand.</summary>
internal sealed class HostileRig : IAsyncDisposable
{
    public const string DeviceId = "hostile";

    private readonly MosquittoBroker _broker;
    private readonly TempDirectory _directory;
    private readonly ServeProcess _serve;
    private int _clients;

    private HostileRig(MosquittoBroker broker, TempDirectory directory, ServeProcess serve)
    {
        _broker = broker;
        _directory = directory;
        _serve = serve;
    }

    public const string RequestTopic = $"appliance/{DeviceId}/request";

    public const string DefaultResponseFilter = $"appliance/{DeviceId}/response/+";

    public int ServicePid => _serve.Id;

    public static async Task<HostileRig> StartAsync(string model, CancellationToken cancellationToken)
    {
        var broker = MosquittoBroker.StartPlain();
        var directory = new TempDirectory("appliance-hostile");
        var config = directory.Combine("appliance.json");
        await File.WriteAllTextAsync(config, "{}", cancellationToken).ConfigureAwait(false);
        var serve = ServeProcess.Start(
            ["--config", config, "--model", model, "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--device-id", DeviceId, "--no-discovery", "--max-payload-bytes", "4096"],
            new Dictionary<string, string>());
        var rig = new HostileRig(broker, directory, serve);
        await using var status = await rig.ClientAsync(MqttProtocolVersion.V500, $"appliance/{DeviceId}/status", cancellationToken).ConfigureAwait(false);
        await foreach (var message in status.Messages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            using var json = JsonDocument.Parse(message.Payload);
            if (json.RootElement.GetProperty("state").GetString() == "ready")
            {
                break;
            }
        }

        return rig;
    }

    /// <summary>A connected client subscribed to <paramref name="filter"/>.</summary>
    public async Task<BrokerConnection> ClientAsync(MqttProtocolVersion version, string filter, CancellationToken cancellationToken)
    {
        var client = new BrokerConnection(new BrokerConnectionOptions
        {
            Host = "127.0.0.1",
            Port = _broker.Port,
            ClientId = $"hostile-{Interlocked.Increment(ref _clients)}",
            ProtocolVersion = version,
        });
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        await client.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce, cancellationToken).ConfigureAwait(false);
        return client;
    }

    /// <summary>The service's resident set size, from /proc.</summary>
    public long ServiceRssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_serve.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    public bool ServiceRunning => !_serve.HasExited;

    public async Task<int?> StopServiceAsync()
    {
        if (_serve.HasExited)
        {
            return await _serve.WaitForExitAsync(TimeSpan.Zero).ConfigureAwait(false);
        }

        _serve.Terminate();
        return await _serve.WaitForExitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _serve.Dispose();
        _broker.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
