using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>
/// Keeps one connection alive: sends PINGREQ when nothing else was sent for a keep-alive interval, and gives the
/// connection up when a PINGRESP does not follow within another interval.
/// </summary>
internal sealed class MqttKeepAlive
{
    private const long NoPing = 0;

    private readonly MqttConnection _connection;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private long _pingSentTimestamp = NoPing;

    public MqttKeepAlive(MqttConnection connection, TimeSpan interval, TimeProvider time)
    {
        _connection = connection;
        _interval = interval;
        _time = time;
    }

    public void PingResponseReceived() => Interlocked.Exchange(ref _pingSentTimestamp, NoPing);

    /// <summary>Runs until the connection closes; on a missing PINGRESP it closes the connection itself.</summary>
    public async Task RunAsync()
    {
        if (_interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (!_connection.Closing.IsCancellationRequested)
            {
                TimeSpan wait;
                var pingSent = Interlocked.Read(ref _pingSentTimestamp);
                if (pingSent != NoPing)
                {
                    var waited = _time.GetElapsedTime(pingSent);
                    if (waited >= _interval)
                    {
                        _connection.Close(new MqttConnectionLoss(
                            $"No PINGRESP within {_interval.TotalSeconds:0.#} s of PINGREQ; the broker is unreachable.",
                            MqttReasonCode.KeepAliveTimeout));
                        return;
                    }

                    wait = _interval - waited;
                }
                else
                {
                    var idle = _connection.SinceLastSent;
                    if (idle >= _interval)
                    {
                        Interlocked.Exchange(ref _pingSentTimestamp, Math.Max(1, _time.GetTimestamp()));
                        await _connection.SendAsync(PingReqPacket.Instance).ConfigureAwait(false);
                        continue;
                    }

                    wait = _interval - idle;
                }

                await Task.Delay(wait, _time, _connection.Closing).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_connection.Closing.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            _connection.Close(new MqttConnectionLoss($"Sending PINGREQ failed: {e.Message}", Exception: e));
        }
    }
}
