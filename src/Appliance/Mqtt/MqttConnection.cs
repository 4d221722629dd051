using System.Buffers;
using System.IO.Pipelines;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>
/// One network connection: writes whole packets one at a time, reads packets as they complete, and ends once
/// with a recorded cause. Writes use the connection's own lifetime, because a write abandoned halfway would
/// leave a broken packet on the wire.
/// </summary>
internal sealed class MqttConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly MqttPacketEncoder _encoder = new();
    private readonly ArrayBufferWriter<byte> _output = new(1024);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<MqttConnectionLoss> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private readonly int _maximumPacketSize;
    private long _lastSentTimestamp;

    public MqttConnection(Stream stream, MqttProtocolVersion version, int maximumPacketSize, TimeProvider time)
    {
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        Version = version;
        _maximumPacketSize = maximumPacketSize;
        _time = time;
        _lastSentTimestamp = time.GetTimestamp();
    }

    public MqttProtocolVersion Version { get; }

    /// <summary>Cancelled when the connection starts closing.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Completes, never faults, with the first recorded cause once the connection is closed.</summary>
    public Task<MqttConnectionLoss> Closed => _closed.Task;

    public TimeSpan SinceLastSent => _time.GetElapsedTime(Interlocked.Read(ref _lastSentTimestamp));

    public async Task SendAsync(MqttPacket packet, CancellationToken waitCancellation = default)
    {
        using var linked = Link(waitCancellation);
        await _writeLock.WaitAsync(linked?.Token ?? _closing.Token).ConfigureAwait(false);
        try
        {
            _output.ResetWrittenCount();
            _encoder.Encode(packet, Version, _output);
            await _stream.WriteAsync(_output.WrittenMemory, _closing.Token).ConfigureAwait(false);
            await _stream.FlushAsync(_closing.Token).ConfigureAwait(false);
            Interlocked.Exchange(ref _lastSentTimestamp, _time.GetTimestamp());
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The next packet, or null when the peer closed the connection cleanly between packets.</summary>
    public async Task<MqttPacket?> ReceiveAsync(CancellationToken cancellation = default)
    {
        using var linked = Link(cancellation);
        while (true)
        {
            var result = await _reader.ReadAsync(linked?.Token ?? _closing.Token).ConfigureAwait(false);
            var buffer = result.Buffer;
            MqttPacket? packet;
            try
            {
                if (MqttPacketDecoder.TryDecode(ref buffer, Version, _maximumPacketSize, out packet))
                {
                    _reader.AdvanceTo(buffer.Start);
                    return packet;
                }
            }
            catch
            {
                _reader.AdvanceTo(buffer.Start);
                throw;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    throw new IOException($"The connection closed in the middle of a packet ({buffer.Length} byte(s) unread).");
                }

                return null;
            }
        }
    }

    /// <summary>Sends DISCONNECT (5.0 only: 3.1.1 clients send it without a reason) if the wire is still usable, within a short grace period.</summary>
    public async Task TrySendDisconnectAsync(MqttReasonCode reasonCode, string? reasonString = null)
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        // Some reasons (such as 0x84 for a CONNECT received) have no DISCONNECT form; the generic one covers them.
        if (!MqttReasonCodes.IsValidFor(MqttPacketType.Disconnect, reasonCode))
        {
            reasonCode = MqttReasonCode.ProtocolError;
        }

        var packet = Version == MqttProtocolVersion.V500
            ? new DisconnectPacket { ReasonCode = reasonCode, Properties = new MqttProperties { ReasonString = reasonString } }
            : new DisconnectPacket();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await SendAsync(packet, grace.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or ArgumentException)
        {
            // The connection is going away regardless; the DISCONNECT was a courtesy.
        }
    }

    /// <summary>Ends the connection; the first cause wins. Safe to call from any task, any number of times.</summary>
    public void Close(MqttConnectionLoss loss)
    {
        if (!_closed.TrySetResult(loss))
        {
            return;
        }

        _closing.Cancel();

        // Disposing the stream unblocks a pending read; the reader itself is completed in DisposeAsync.
        _stream.Dispose();
    }

    // Most calls pass no token of their own; they need no linked source (one allocation less per packet).
    private CancellationTokenSource? Link(CancellationToken cancellation) =>
        cancellation.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellation, _closing.Token) : null;

    public async ValueTask DisposeAsync()
    {
        Close(new MqttConnectionLoss("The connection was disposed."));
        await _reader.CompleteAsync().ConfigureAwait(false);
    }
}
