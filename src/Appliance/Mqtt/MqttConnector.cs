using System.Text;
using Appliance.Mqtt.Packets;

namespace Appliance.Mqtt;

/// <summary>
/// Opens a connection and performs the CONNECT/CONNACK exchange, falling back from 5.0 to 3.1.1 when the broker
/// refuses 5.0: with CONNACK 0x84, with a 3.1.1 "unacceptable protocol version", or by closing the connection.
/// </summary>
internal sealed class MqttConnector
{
    private readonly MqttClientOptions _options;
    private readonly TimeProvider _time;

    public MqttConnector(MqttClientOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    private string Broker => $"MQTT broker {_options.Host}:{_options.Port}";

    public async Task<MqttHandshake> ConnectAsync(MqttProtocolVersion version, string clientId, bool cleanStart, CancellationToken cancellation)
    {
        var attempt = await AttemptAsync(version, clientId, cleanStart, cancellation).ConfigureAwait(false);
        var refusedV5 = attempt.ClosedBeforeConnAck is not null || attempt.Ack?.ReasonCode == MqttReasonCode.UnsupportedProtocolVersion;
        if (version == MqttProtocolVersion.V500 && _options.AllowProtocolFallback && refusedV5)
        {
            version = MqttProtocolVersion.V311;
            attempt = await AttemptAsync(version, clientId, cleanStart, cancellation).ConfigureAwait(false);
        }

        if (attempt.ClosedBeforeConnAck is { } closed)
        {
            throw new MqttClientException($"{Broker} closed the connection before CONNACK (MQTT {Describe(version)}): {closed}");
        }

        var ack = attempt.Ack!;
        if (attempt.Connection is not { } connection)
        {
            var reason = ack.Properties.ReasonString is { } text ? $": {text}" : "";
            throw new MqttClientException(
                $"{Broker} refused the connection (MQTT {Describe(version)}) with {MqttReasonCodes.Describe(ack.ReasonCode)}{reason}.",
                ack.ReasonCode);
        }

        return new MqttHandshake(connection, ack, version);
    }

    private async Task<Attempt> AttemptAsync(MqttProtocolVersion version, string clientId, bool cleanStart, CancellationToken cancellation)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(_options.ConnectTimeout);
        MqttConnection? connection = null;
        try
        {
            var stream = await MqttTransport.OpenAsync(_options, timeout.Token).ConfigureAwait(false);
            connection = new MqttConnection(stream, version, _options.MaximumPacketSize, _time);
            await connection.SendAsync(CreateConnect(version, clientId, cleanStart), timeout.Token).ConfigureAwait(false);
            var reply = await connection.ReceiveAsync(timeout.Token).ConfigureAwait(false);
            if (reply is null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return new Attempt(null, null, "the broker closed the connection");
            }

            var ack = reply as ConnAckPacket ?? throw new MqttProtocolException(
                MqttReasonCode.ProtocolError, $"The broker answered CONNECT with {reply.Type} instead of CONNACK.");
            if (ack.ReasonCode == MqttReasonCode.Success && ack.Properties.AuthenticationMethod is { } method)
            {
                throw new MqttProtocolException(
                    MqttReasonCode.ProtocolError, $"CONNACK names authentication method '{method}', but this client asked for none.");
            }

            if (ack.ReasonCode != MqttReasonCode.Success)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return new Attempt(null, ack, null);
            }

            return new Attempt(connection, ack, null);
        }
        catch (IOException e) when (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            // TLS errors surface here wrapped ("the decryption operation failed"); the innermost message names the cause.
            return new Attempt(null, null, e.GetBaseException().Message);
        }
        catch (MqttProtocolException e) when (connection is not null)
        {
            await connection.TrySendDisconnectAsync(e.ReasonCode, e.Message).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new MqttClientException($"{Broker} broke the protocol while connecting: {e.Message}", e.ReasonCode, e);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            await DisposeAsync(connection).ConfigureAwait(false);
            throw new MqttClientException(
                $"Connecting to {Broker} timed out after {_options.ConnectTimeout.TotalSeconds:0.#} s (MQTT {Describe(version)}).",
                innerException: e);
        }
        catch
        {
            await DisposeAsync(connection).ConfigureAwait(false);
            throw;
        }
    }

    private ConnectPacket CreateConnect(MqttProtocolVersion version, string clientId, bool cleanStart) => new()
    {
        ProtocolVersion = version,
        ClientId = clientId,
        CleanStart = cleanStart,
        KeepAliveSeconds = _options.KeepAliveSeconds,
        UserName = _options.UserName,
        Password = _options.Password is { } password ? Encoding.UTF8.GetBytes(password) : (ReadOnlyMemory<byte>?)null,
        Will = _options.Will?.ToWill(version, _options.WillDelaySeconds),
        Properties = version == MqttProtocolVersion.V500
            ? new MqttProperties
            {
                SessionExpiryInterval = _options.SessionExpirySeconds == 0 ? null : _options.SessionExpirySeconds,
                ReceiveMaximum = _options.ReceiveMaximum == ushort.MaxValue ? null : _options.ReceiveMaximum,
                MaximumPacketSize = (uint)_options.MaximumPacketSize,
            }
            : new MqttProperties(),
    };

    private static async Task DisposeAsync(MqttConnection? connection)
    {
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal static string Describe(MqttProtocolVersion version) => version == MqttProtocolVersion.V500 ? "5.0" : "3.1.1";

    private sealed record Attempt(MqttConnection? Connection, ConnAckPacket? Ack, string? ClosedBeforeConnAck);
}
