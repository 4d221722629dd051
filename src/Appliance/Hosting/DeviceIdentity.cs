using System.Text;

namespace Appliance.Hosting;

/// <summary>
/// The default device id. It names the box in MQTT topics (appliance/&lt;id&gt;/...) and Home Assistant unique ids, so it
/// keeps to the characters <see cref="Api.ApplianceTopics.FindDeviceIdProblem"/> accepts: ASCII letters, digits, '-', '_'.
/// </summary>
public static class DeviceIdentity
{
    private const int MaximumLength = 64;

    /// <summary>Used when the host name has no usable character at all.</summary>
    public const string Fallback = "appliance";

    /// <summary>
    /// A device id from a host name: lower-cased, every run of other characters (dots, spaces, '+', '#', '/') turned
    /// into one '-', trimmed, at most <see cref="MaximumLength"/> characters.
    /// </summary>
    public static string FromHostName(string? hostName)
    {
        var id = new StringBuilder(MaximumLength);
        foreach (var character in hostName ?? string.Empty)
        {
            if (id.Length == MaximumLength)
            {
                break;
            }

            if (IsAllowed(character))
            {
                id.Append(char.ToLowerInvariant(character));
            }
            else if (id.Length > 0 && id[^1] != '-')
            {
                id.Append('-');
            }
        }

        var text = id.ToString().Trim('-');
        return text.Length == 0 ? Fallback : text;
    }

    private static bool IsAllowed(char character) => char.IsAsciiLetterOrDigit(character) || character is '-' or '_';
}
