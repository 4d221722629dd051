
namespace Appliance.Mqtt;

/// <summary>
/// An MQTT operation failed: the broker refused it (<see cref="ReasonCode"/> says why), the connection was lost
/// before the acknowledgement, or the client is not connected.
/// </summary>
public sealed class BrokerConnectionException : Exception
{
    public BrokerConnectionException(string message, MqttReasonCode? reasonCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ReasonCode = reasonCode;
    }

    public MqttReasonCode? ReasonCode { get; }
}
