namespace Appliance.Hosting;

/// <summary>The configuration cannot start the service; <see cref="Problems"/> lists every reason, one line each.</summary>
public sealed class ApplianceOptionsException : Exception
{
    public ApplianceOptionsException()
        : this([])
    {
    }

    public ApplianceOptionsException(string message)
        : this([message])
    {
    }

    public ApplianceOptionsException(string message, Exception innerException)
        : base(message, innerException) => Problems = [message];

    public ApplianceOptionsException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems)) => Problems = problems;

    public IReadOnlyList<string> Problems { get; }
}
