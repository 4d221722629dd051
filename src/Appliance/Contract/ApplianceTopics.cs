namespace Appliance.Contract;

/// <summary>The appliance's MQTT topics under `appliance/&lt;device-id&gt;`.</summary>
public sealed class ApplianceTopics
{
    /// <summary>The first level of every appliance topic (device and pool topics alike).</summary>
    public const string Root = "appliance";

    public const string StatusName = "status";
    public const string RequestName = "request";
    public const string CancelName = "cancel";
    public const string AskName = "ask";
    public const string AnswerName = "answer";
    public const string TelemetryName = "telemetry";
    public const string ButtonName = "button";
    public const string ResponseName = "response";

    public ApplianceTopics(string deviceId)
    {
        if (FindDeviceIdProblem(deviceId) is { } problem)
        {
            throw new ArgumentException(problem, nameof(deviceId));
        }

        DeviceId = deviceId;
        Base = $"{Root}/{deviceId}";
    }

    public string DeviceId { get; }

    /// <summary>`appliance/&lt;device-id&gt;`.</summary>
    public string Base { get; }

    /// <summary>Retained {state, model, version, detail}; the will sets it offline.</summary>
    public string Status => Of(StatusName);

    public string Request => Of(RequestName);

    public string Cancel => Of(CancelName);

    /// <summary>Plain-text prompts (Home Assistant's text entity); answers go to <see cref="Answer"/>.</summary>
    public string Ask => Of(AskName);

    /// <summary>Retained final message of the last `ask`/panel prompt.</summary>
    public string Answer => Of(AnswerName);

    public string Telemetry => Of(TelemetryName);

    public string Button => Of(ButtonName);

    /// <summary>Where replies go when the request names no response topic: `&lt;base&gt;/response/&lt;id&gt;`.</summary>
    public string Response(string id) => $"{Base}/{ResponseName}/{id}";

    public string Of(string relativeTopic) => $"{Base}/{relativeTopic}";

    /// <summary>Device ids become topic levels and Home Assistant object ids: 1–64 of [A-Za-z0-9_-].</summary>
    public static string? FindDeviceIdProblem(string? deviceId) =>
        deviceId is { Length: > 0 and <= 64 } && deviceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            ? null
            : $"The device id must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-', got '{deviceId}'.";
}
