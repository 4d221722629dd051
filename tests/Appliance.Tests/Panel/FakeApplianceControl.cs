using Appliance.State;

namespace Appliance.Tests.Panel;

/// <summary>Records what the panel asks of the service.</summary>
internal sealed class FakeApplianceControl : IApplianceControl
{
    private readonly Lock _gate = new();
    private readonly List<string> _cancelReasons = [];
    private readonly List<(string Prompt, string Source)> _prompts = [];
    private int _reloads;

    public bool CancelResult { get; set; } = true;

    public bool SubmitResult { get; set; } = true;

    /// <summary>What ReloadModelAsync returns (completed by default).</summary>
    public Task ReloadTask { get; set; } = Task.CompletedTask;

    public IReadOnlyList<string> CancelReasons
    {
        get
        {
            lock (_gate)
            {
                return [.. _cancelReasons];
            }
        }
    }

    public IReadOnlyList<(string Prompt, string Source)> Prompts
    {
        get
        {
            lock (_gate)
            {
                return [.. _prompts];
            }
        }
    }

    public int Reloads => Volatile.Read(ref _reloads);

    public bool CancelCurrent(string reason)
    {
        lock (_gate)
        {
            _cancelReasons.Add(reason);
        }

        return CancelResult;
    }

    public bool SubmitPrompt(string prompt, string source)
    {
        lock (_gate)
        {
            _prompts.Add((prompt, source));
        }

        return SubmitResult;
    }

    public Task ReloadModelAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reloads);
        return ReloadTask;
    }
}
