using Appliance.State;

namespace Appliance.Tests.State;

public sealed class ServiceStatusBoardTests
{
    [Fact]
    public void Starts_in_starting_with_no_model()
    {
        var board = new ServiceStatusBoard();

        Assert.Equal(new ServiceStatus(ServiceState.Starting, null, null), board.Current);
    }

    [Fact]
    public void Raises_every_change_in_order_and_keeps_the_model_across_state_changes()
    {
        var board = new ServiceStatusBoard();
        var seen = new List<ServiceStatus>();
        board.Changed += (_, status) => seen.Add(status);

        board.Set(ServiceState.Loading, "model.onnx");
        board.SetModel("tiny", ServiceState.Ready);
        board.Set(ServiceState.Busy);
        board.Set(ServiceState.Ready);

        Assert.Equal(
            [
                new ServiceStatus(ServiceState.Loading, null, "model.onnx"),
                new ServiceStatus(ServiceState.Ready, "tiny", null),
                new ServiceStatus(ServiceState.Busy, "tiny", null),
                new ServiceStatus(ServiceState.Ready, "tiny", null),
            ],
            seen);
        Assert.Equal(seen[^1], board.Current);
    }

    [Fact]
    public void Setting_the_same_status_again_raises_nothing()
    {
        var board = new ServiceStatusBoard();
        board.Set(ServiceState.Error, "disk full");
        var raised = 0;
        board.Changed += (_, _) => raised++;

        board.Set(ServiceState.Error, "disk full");

        Assert.Equal(0, raised);
    }

    [Theory]
    [InlineData(ServiceState.Starting, "starting")]
    [InlineData(ServiceState.Loading, "loading")]
    [InlineData(ServiceState.Ready, "ready")]
    [InlineData(ServiceState.Busy, "busy")]
    [InlineData(ServiceState.Error, "error")]
    [InlineData(ServiceState.Offline, "offline")]
    public void Wire_names_are_the_contracts_lower_case_names(ServiceState state, string name) =>
        Assert.Equal(name, state.ToWireName());

    [Fact]
    public void Unknown_state_has_no_wire_name() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ServiceState)42).ToWireName());

    [Fact]
    public void A_parts_problem_survives_state_and_model_changes_until_it_is_cleared()
    {
        var board = new ServiceStatusBoard();
        var raised = 0;
        board.Changed += (_, _) => raised++;

        board.SetProblem("panel", "line 22 busy");
        board.SetModel("tiny", ServiceState.Ready, "loaded");
        board.Set(ServiceState.Busy);
        board.SetProblem("panel", "line 22 busy");

        Assert.Equal(3, raised);
        Assert.Equal((ServiceState.Busy, "tiny", (string?)null), (board.Current.State, board.Current.Model, board.Current.Detail));
        Assert.Equal("line 22 busy", Assert.Single(board.Current.Problems).Value);

        board.SetProblem("panel", null);

        Assert.Empty(board.Current.Problems);
        Assert.Equal(4, raised);
    }
}
