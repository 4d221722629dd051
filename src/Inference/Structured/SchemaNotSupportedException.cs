namespace Appliance.Inference.Structured;

/// <summary>A JSON schema uses something structured output does not support, or admits no value at all.</summary>
public sealed class SchemaNotSupportedException : Exception
{
    public SchemaNotSupportedException()
    {
        Keyword = string.Empty;
        Path = "$";
    }

    public SchemaNotSupportedException(string message)
        : base(message)
    {
        Keyword = string.Empty;
        Path = "$";
    }

    public SchemaNotSupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Keyword = string.Empty;
        Path = "$";
    }

    /// <param name="keyword">The schema keyword refused.</param>
    /// <param name="path">Where in the schema, as a JSON path ($.properties.name).</param>
    /// <param name="reason">Why, completing "keyword at path: ...".</param>
    public SchemaNotSupportedException(string keyword, string path, string reason)
        : base($"'{keyword}' at {path}: {reason}")
    {
        Keyword = keyword;
        Path = path;
    }

    public string Keyword { get; }

    public string Path { get; }
}
