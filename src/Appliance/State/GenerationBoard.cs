namespace Appliance.State;

/// <summary>What the service is generating, for displays: the rate while a reply streams and the last answer.</summary>
public sealed record GenerationProgress(bool Generating, double TokensPerSecond, string? LastAnswer)
{
    public static GenerationProgress Idle { get; } = new(false, 0, null);
}

/// <summary>
/// The request path's generation as the panel's display shows it, beside <see cref="ServiceStatusBoard"/>: the request
/// path reports each decoded token and the final answer; displays observe <see cref="Changed"/>. Rates are measured
/// on the <see cref="TimeProvider"/> from the first token, so a slow prompt does not lower them.
/// </summary>
public sealed class GenerationBoard(TimeProvider timeProvider) : ObservedState<GenerationProgress>(GenerationProgress.Idle)
{
    // Changed only inside Update's lock.
    private long _firstTokenAt;
    private int _tokens;

    /// <summary>One more token of the reply being generated.</summary>
    public void TokenGenerated() => Update(current =>
    {
        if (!current.Generating)
        {
            _tokens = 0;
            _firstTokenAt = timeProvider.GetTimestamp();
        }

        _tokens++;
        var seconds = timeProvider.GetElapsedTime(_firstTokenAt).TotalSeconds;
        return current with { Generating = true, TokensPerSecond = seconds > 0 ? (_tokens - 1) / seconds : 0 };
    });

    /// <summary>The reply is complete (or ended); <paramref name="answer"/> is its text.</summary>
    public void Answered(string answer) => Update(_ => new GenerationProgress(false, 0, answer));
}
