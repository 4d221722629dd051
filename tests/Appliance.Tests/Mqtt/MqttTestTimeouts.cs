namespace Appliance.Tests.Mqtt;

internal static class MqttTestTimeouts
{
    /// <summary>Generous bound for any single wait; a healthy run takes milliseconds.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static CancellationToken Token() => new CancellationTokenSource(Wait).Token;

    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(Wait);

    public static Task Within(this Task task) => task.WaitAsync(Wait);
}
