namespace Appliance.State;

/// <summary>What a person at the box (the panel's buttons) may ask of the service.</summary>
public interface IApplianceControl
{
    /// <summary>Cancels the request being generated, if any; true when one was cancelled. Its client gets a `cancelled` error.</summary>
    bool CancelCurrent(string reason);

    /// <summary>
    /// Queues <paramref name="prompt"/> as a request from <paramref name="source"/> (e.g. "panel"); its answer is published
    /// like any other (on `&lt;base&gt;/answer`). False when the queue is full or no model is loaded.
    /// </summary>
    bool SubmitPrompt(string prompt, string source);

    /// <summary>Reloads the model from disk (after an install), failing queued requests with model_unavailable meanwhile.</summary>
    Task ReloadModelAsync(CancellationToken cancellationToken);
}
