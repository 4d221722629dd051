using Appliance.Pipeline;
using Appliance.State;

namespace Appliance.Tests.Pipeline;

public sealed class ServiceReadinessTests
{
    private readonly ServiceStatusBoard _board = new();

    [Fact]
    public void A_loaded_model_counts_as_ready_only_once_the_door_is_open()
    {
        var readiness = new ServiceReadiness(_board);
        readiness.DoorClosed(ServiceState.Loading, "connecting to the broker");
        readiness.Loading("loading the model");
        Assert.Equal(new ServiceStatus(ServiceState.Loading, null, "loading the model"), _board.Current);

        readiness.Loaded("m");
        Assert.Equal(new ServiceStatus(ServiceState.Loading, "m", "connecting to the broker"), _board.Current);

        readiness.DoorOpen();
        Assert.Equal(new ServiceStatus(ServiceState.Ready, "m", null), _board.Current);
        readiness.Busy(true);
        Assert.Equal(ServiceState.Busy, _board.Current.State);
    }

    [Fact]
    public void A_failed_model_shows_its_error_once_the_door_is_open_and_a_refused_door_shows_its_own()
    {
        var readiness = new ServiceReadiness(_board);
        readiness.DoorClosed(ServiceState.Loading, "connecting to the broker");
        readiness.Failed("the model failed to load: bad file");
        Assert.Equal(new ServiceStatus(ServiceState.Loading, null, "connecting to the broker"), _board.Current);

        readiness.DoorOpen();
        Assert.Equal(new ServiceStatus(ServiceState.Error, null, "the model failed to load: bad file"), _board.Current);

        readiness.DoorClosed(ServiceState.Error, "the broker refused the subscription");
        Assert.Equal(new ServiceStatus(ServiceState.Error, null, "the broker refused the subscription"), _board.Current);
        readiness.Offline();
        Assert.Equal(new ServiceStatus(ServiceState.Offline, null, null), _board.Current);
    }
}
