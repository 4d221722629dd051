namespace Appliance.State;

/// <summary>
/// The one place the appliance's state lives. The request path sets it; the status topic, systemd, the panel and
/// telemetry observe it through <see cref="Changed"/> and never sit in the request path.
/// </summary>
public sealed class ServiceStatusBoard() : ObservedState<ServiceStatus>(new ServiceStatus(ServiceState.Starting, null, null))
{
    /// <summary>Moves to <paramref name="state"/>, keeping the model; no event when nothing changes.</summary>
    public void Set(ServiceState state, string? detail = null) => Update(current => current with { State = state, Detail = detail });

    /// <summary>Records the model now served (or null when none is loaded) with its state.</summary>
    public void SetModel(string? model, ServiceState state, string? detail = null) =>
        Update(current => current with { State = state, Model = model, Detail = detail });

    /// <summary>Records what is wrong with <paramref name="part"/> (null: nothing any more), leaving the state as it is.</summary>
    public void SetProblem(string part, string? problem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(part);
        Update(current => current with { Problems = problem is null ? current.Problems.Remove(part) : current.Problems.SetItem(part, problem) });
    }
}
