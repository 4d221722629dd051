using Appliance.State;
using System.Text;

namespace Appliance.Hosting;

/// <summary>The sd_notify(3) messages the appliance sends.</summary>
public static class NotifyMessages
{
    public const string Ready = "READY=1";
    public const string Watchdog = "WATCHDOG=1";
    public const string Stopping = "STOPPING=1";

    /// <summary>"STATUS=ready (model): detail", shown by `systemctl status`; line breaks are flattened so a detail cannot add assignments.</summary>
    public static string Status(ServiceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var text = new StringBuilder("STATUS=").Append(status.State.ToWireName());
        if (!string.IsNullOrEmpty(status.Model))
        {
            text.Append(" (").Append(OneLine(status.Model)).Append(')');
        }

        if (!string.IsNullOrEmpty(status.Detail))
        {
            text.Append(": ").Append(OneLine(status.Detail));
        }

        return text.ToString();
    }

    private static string OneLine(string value) => value.ReplaceLineEndings(" ");
}
