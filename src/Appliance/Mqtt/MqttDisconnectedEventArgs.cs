namespace Appliance.Mqtt;

public sealed class MqttDisconnectedEventArgs : EventArgs
{
    public MqttDisconnectedEventArgs(MqttConnectionLoss loss, bool willReconnect)
    {
        Loss = loss;
        WillReconnect = willReconnect;
    }

    public MqttConnectionLoss Loss { get; }

    public bool WillReconnect { get; }
}
