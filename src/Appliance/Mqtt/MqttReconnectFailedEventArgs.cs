namespace Appliance.Mqtt;

public sealed class MqttReconnectFailedEventArgs : EventArgs
{
    public MqttReconnectFailedEventArgs(int attempt, Exception exception)
    {
        Attempt = attempt;
        Exception = exception;
    }

    /// <summary>0 for the first attempt after the connection was lost.</summary>
    public int Attempt { get; }

    public Exception Exception { get; }
}
