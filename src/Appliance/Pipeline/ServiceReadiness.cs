using Appliance.State;

namespace Appliance.Pipeline;

/// <summary>
/// Derives the service state from what the parts report (the model's phase, whether a request is running, whether
/// the service is stopping) and puts it on the <see cref="ServiceStatusBoard"/>, so no part overwrites another's news.
/// </summary>
internal sealed class ServiceReadiness
{
    private readonly ServiceStatusBoard _board;
    private readonly Lock _gate = new();
    private ServiceState _phase = ServiceState.Loading;
    private string? _model;
    private string? _detail;
    private bool _busy;
    private bool _offline;
    private (ServiceState State, string Detail)? _door;

    public ServiceReadiness(ServiceStatusBoard board)
    {
        _board = board;
    }

    /// <summary>Loading the model (or connecting to the broker); requests get model_unavailable.</summary>
    public void Loading(string detail) => Update(() => (_phase, _detail) = (ServiceState.Loading, detail));

    public void Loaded(string model) => Update(() => (_phase, _model, _detail) = (ServiceState.Ready, model, null));

    public void Failed(string detail) => Update(() => (_phase, _model, _detail) = (ServiceState.Error, null, detail));

    public void Busy(bool busy) => Update(() => _busy = busy);

    public void Offline() => Update(() => _offline = true);

    /// <summary>
    /// A front door the service needs before it counts as ready (the MQTT subscriptions) is not open yet: the state
    /// stays <paramref name="state"/> (loading while connecting, error when refused) even with the model loaded.
    /// </summary>
    public void DoorClosed(ServiceState state, string detail) => Update(() => _door = (state, detail));

    public void DoorOpen() => Update(() => _door = null);

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
            var door = _door is { State: ServiceState.Error } || (_door is not null && _phase == ServiceState.Ready);
            var state = _offline ? ServiceState.Offline
                : door ? _door!.Value.State
                : _phase != ServiceState.Ready ? _phase
                : _busy ? ServiceState.Busy
                : ServiceState.Ready;
            var detail = state == ServiceState.Offline ? null : door ? _door!.Value.Detail : _detail;
            _board.SetModel(_model, state, detail);
        }
    }
}
