namespace Appliance.Mqtt;

public sealed class MqttConnectedEventArgs : EventArgs
{
    public MqttConnectedEventArgs(MqttConnectionInfo connection, bool isReconnect, IReadOnlyList<string> refusedSubscriptions)
    {
        Connection = connection;
        IsReconnect = isReconnect;
        RefusedSubscriptions = refusedSubscriptions;
    }

    public MqttConnectionInfo Connection { get; }

    public bool IsReconnect { get; }

    /// <summary>Topic filters the broker refused when they were restored after a reconnect; they are no longer active.</summary>
    public IReadOnlyList<string> RefusedSubscriptions { get; }
}
