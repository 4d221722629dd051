using Appliance.Contract;

namespace Appliance.MqttService;

/// <summary>Several boxes sharing the work of one pool through the broker (configuration section <see cref="SectionName"/>).</summary>
public sealed class FleetOptions
{
    public const string SectionName = "Fleet";

    /// <summary>Empty: this box serves its own topics only. Else it also takes requests sent to `appliance/pool/&lt;pool&gt;/request`.</summary>
    public string Pool { get; set; } = "";

    public IEnumerable<string> Validate()
    {
        if (Pool.Length > 0 && ApplianceTopics.FindDeviceIdProblem(Pool) is not null)
        {
            yield return $"{SectionName}:Pool must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-', got '{Pool}'";
        }
    }
}
