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
    /// A front door the service needs before it counts as up (the MQTT subscriptions) is not open yet: the state is
    /// <paramref name="state"/> (loading while connecting, error when refused) once the model has loaded or failed.
    /// </summary>
    public void DoorClosed(ServiceState state, string detail) => Update(() => _door = (state, detail));

    public void DoorOpen() => Update(() => _door = null);

    /// <summary>
    /// Registers a door that must open before the service counts as up, as <see cref="DoorClosed"/> with
    /// loading does, without touching the board yet: called while the host is built, before systemd hears "starting".
    /// </summary>
    public void ExpectDoor(string detail)
    {
        lock (_gate)
        {
            _door = (ServiceState.Loading, detail);
        }
    }

    private void Update(Action change)
    {
        lock (_gate)
        {
            change();
            // Up (ready, busy or error) only once every door is open: before that a client's request could be lost.
            (ServiceState State, string? Detail) shown = _offline ? (ServiceState.Offline, null)
                : _door is { } door && (door.State == ServiceState.Error || _phase != ServiceState.Loading) ? door
                : _phase != ServiceState.Ready ? (_phase, _detail)
                : _busy ? (ServiceState.Busy, _detail)
                : (ServiceState.Ready, _detail);
            _board.SetModel(_model, shown.State, shown.Detail);
        }
    }
}
