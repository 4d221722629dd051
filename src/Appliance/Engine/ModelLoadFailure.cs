namespace Appliance.Engine;

/// <summary>
/// Tells a model that cannot be loaded (missing, truncated or corrupt files, an unreadable directory, no ONNX Runtime
/// library, a tokenizer or chat template we cannot read) from a bug in the appliance: the first is an expected
/// condition, reported in one line; only the second deserves a stack trace.
/// </summary>
public static class ModelLoadFailure
{
    /// <summary>
    /// Exceptions that mean our code is wrong rather than the model or the machine. Everything else a load throws names
    /// the file or the library at fault; ONNX Runtime's own errors (a corrupt graph) are among them, whatever binding reports them.
    /// </summary>
    public static bool IsBug(Exception error) =>
        error is NullReferenceException or ArgumentException or InvalidOperationException or IndexOutOfRangeException
            or InvalidCastException or NotImplementedException or NotSupportedException or ArithmeticException
            or KeyNotFoundException or AccessViolationException;

    /// <summary>The message as one line: multi-line messages (ONNX Runtime's, a list of paths tried) joined with "; ".</summary>
    public static string OneLine(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return string.Join("; ", error.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
