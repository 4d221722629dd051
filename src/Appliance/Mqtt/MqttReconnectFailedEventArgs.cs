namespace Appliance.Mqtt;

public sealed class MqttReconnectFailedEventArgs : EventArgs
{
    public MqttReconnectFailedEventArgs(int attempt, Exception exception, TimeSpan nextDelay)
    {
        Attempt = attempt;
        Exception = exception;
        NextDelay = nextDelay;
    }

    /// <summary>0 for the first attempt (after the connection was lost, or of the first connect).</summary>
    public int Attempt { get; }

    public Exception Exception { get; }

    /// <summary>How long the connection waits before the next attempt.</summary>
    public TimeSpan NextDelay { get; }
}
