namespace Appliance.Hosting;

/// <summary>
/// Says what is wrong with a setting whose value does not convert, in the user's terms: the path, the value, and what
/// kind of value it must be — not the .NET type the binder names.
/// </summary>
public static class ConfigurationValueProblem
{
    public static string Describe(string path, string value, InvalidOperationException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{path}: '{value}' is not {Expected(error.Message)}";
    }

    /// <summary>The binder's message ends "… to type 'System.Int32'." (or a nullable of it); that type, in words.</summary>
    private static string Expected(string binderMessage)
    {
        var start = binderMessage.LastIndexOf("to type '", StringComparison.Ordinal);
        return ValueKindText.Describe(start < 0 ? "" : binderMessage[(start + 9)..]);
    }
}
