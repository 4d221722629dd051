namespace Appliance.Quantize.Evaluation;

/// <summary>The evaluation cannot run as asked; the message names the file, option or value.</summary>
internal sealed class EvaluationException : Exception
{
    public EvaluationException()
    {
    }

    public EvaluationException(string message)
        : base(message)
    {
    }

    public EvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
