using System.Threading.Channels;
using Appliance.Service;

namespace Appliance.Tests.TelemetryExport;

/// <summary>An <see cref="IApplianceMessenger"/> that keeps what is published, for a test to read in order.</summary>
internal sealed class RecordingMessenger : IApplianceMessenger
{
    private readonly Channel<(string Topic, byte[] Payload, bool Retain)> _published = Channel.CreateUnbounded<(string, byte[], bool)>();

    public string BaseTopic => "appliance/test-box";

    /// <summary>What PublishAsync answers: false plays a broker that is not connected.</summary>
    public bool Connected { get; set; } = true;

    public ValueTask<bool> PublishAsync(string relativeTopic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        _published.Writer.TryWrite((relativeTopic, payload.ToArray(), retain));
        return ValueTask.FromResult(Connected);
    }

    /// <summary>The next publish, waiting at most 10 s for it.</summary>
    public async Task<(string Topic, byte[] Payload, bool Retain)> NextAsync() =>
        await _published.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public bool TryTake(out (string Topic, byte[] Payload, bool Retain) message) => _published.Reader.TryRead(out message);
}
