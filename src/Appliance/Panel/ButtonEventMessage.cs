using Appliance.Contract;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.Panel;

/// <summary>
/// What the appliance publishes on &lt;base&gt;/<see cref="ApplianceTopics.ButtonName"/> for every press:
/// {"button":"ask","press":"short","ts":"2026-01-01T12:00:00.000Z"} (ts: when the press was recognised, UTC).
/// </summary>
public sealed record ButtonEventMessage(
    [property: JsonPropertyName("button")] string Button,
    [property: JsonPropertyName("press")] string Press,
    [property: JsonPropertyName("ts")] string Timestamp)
{
    /// <summary>Every "&lt;button&gt;_&lt;press&gt;" combination, e.g. for a Home Assistant event entity's event_types.</summary>
    public static IReadOnlyList<string> EventTypes { get; } = ["ask_short", "ask_long", "cancel_short", "cancel_long"];

    public static ButtonEventMessage For(ButtonPress press) => new(
        press.Button switch
        {
            PanelButton.Ask => "ask",
            PanelButton.Cancel => "cancel",
            _ => throw new ArgumentOutOfRangeException(nameof(press), press.Button, "Unknown button."),
        },
        press.Kind == ButtonPressKind.LongPress ? "long" : "short",
        press.RecognisedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, PanelJsonContext.Default.ButtonEventMessage);
}

/// <summary>Source-generated (AOT-safe) JSON for the panel's messages.</summary>
[JsonSerializable(typeof(ButtonEventMessage))]
internal sealed partial class PanelJsonContext : JsonSerializerContext;
