using System.Reflection;

namespace Appliance.State;

/// <summary>The appliance's version, from the assembly's informational version (set by the build).</summary>
public static class ApplianceVersion
{
    public static string Current { get; } =
        typeof(ApplianceVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
