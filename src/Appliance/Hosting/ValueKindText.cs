namespace Appliance.Hosting;

/// <summary>What kind of value a .NET type stands for, in the user's words, for messages that must not name .NET types.</summary>
internal static class ValueKindText
{
    /// <summary>"a whole number", "a number", "true or false", … for a type name as the libraries print it (also nullable ones).</summary>
    public static string Describe(string typeName) => typeName switch
    {
        _ when Names(typeName, "Int16", "Int32", "Int64", "UInt16", "UInt32", "UInt64", "Byte", "SByte") => "a whole number",
        _ when Names(typeName, "Double", "Single", "Decimal") => "a number",
        _ when Names(typeName, "Boolean") => "true or false",
        _ when Names(typeName, "TimeSpan") => "a duration",
        _ => "a valid value here",
    };

    private static bool Names(string typeName, params string[] names) =>
        names.Any(name => typeName.Contains($"System.{name}", StringComparison.Ordinal));
}
