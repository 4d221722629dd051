using Appliance.State;
using System.Text;
using System.Threading.Channels;

namespace Appliance.Tests.State;

internal sealed record Publication(string Topic, string Payload, bool Retain);

/// <summary>The one fake <see cref="IApplianceMessenger"/> (panel and telemetry tests): records publications, full topic and UTF-8 text, in order; tests await them one by one.</summary>
internal sealed class FakeApplianceMessenger : IApplianceMessenger
{
    private readonly Channel<Publication> _published = Channel.CreateUnbounded<Publication>();

    public string BaseTopic => "appliance/test";

    /// <summary>False models a disconnected broker (the publication is still recorded).</summary>
    public bool Connected { get; set; } = true;

    public ValueTask<bool> PublishAsync(string relativeTopic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        _published.Writer.TryWrite(new Publication($"{BaseTopic}/{relativeTopic}", Encoding.UTF8.GetString(payload.Span), retain));
        return ValueTask.FromResult(Connected);
    }

    /// <summary>The next publication, waiting at most 10 s for it.</summary>
    public Task<Publication> NextAsync() => _published.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public bool TryTake(out Publication? publication) => _published.Reader.TryRead(out publication);
}
