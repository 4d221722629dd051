using Appliance.Hosting;

namespace Appliance.Tests.Hosting;

public sealed class SystemdEnvironmentTests
{
    private const int ProcessId = 4242;

    [Fact]
    public void Reads_the_socket_the_watchdog_interval_and_the_journal_stream()
    {
        var systemd = Read(("NOTIFY_SOCKET", "/run/systemd/notify"), ("WATCHDOG_USEC", "30000000"), ("WATCHDOG_PID", "4242"), ("JOURNAL_STREAM", "8:12345"));

        Assert.Equal("/run/systemd/notify", systemd.NotifySocket);
        Assert.Equal(TimeSpan.FromSeconds(30), systemd.WatchdogInterval);
        Assert.True(systemd.UnderJournal);
        Assert.Null(systemd.WatchdogProblem);
    }

    [Fact]
    public void Reads_nothing_outside_systemd()
    {
        var systemd = Read();

        Assert.Equal(new SystemdEnvironment(null, null, UnderJournal: false), systemd);
    }

    [Fact]
    public void The_watchdog_without_a_pid_is_ours()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1.5), Read(("WATCHDOG_USEC", "1500")).WatchdogInterval);
    }

    [Fact]
    public void Ignores_a_watchdog_meant_for_another_process()
    {
        var systemd = Read(("WATCHDOG_USEC", "30000000"), ("WATCHDOG_PID", "17"));

        Assert.Null(systemd.WatchdogInterval);
        Assert.Null(systemd.WatchdogProblem);
    }

    [Theory]
    [InlineData("0", null, "WATCHDOG_USEC must be a positive number of microseconds, got '0'")]
    [InlineData("-5", null, "WATCHDOG_USEC must be a positive number of microseconds, got '-5'")]
    [InlineData("30s", null, "WATCHDOG_USEC must be a positive number of microseconds, got '30s'")]
    [InlineData("30000000", "me", "WATCHDOG_PID must be a process id, got 'me'")]
    public void Explains_an_unusable_watchdog_setting(string usec, string? pid, string problem)
    {
        var systemd = pid is null ? Read(("WATCHDOG_USEC", usec)) : Read(("WATCHDOG_USEC", usec), ("WATCHDOG_PID", pid));

        Assert.Null(systemd.WatchdogInterval);
        Assert.Equal(problem, systemd.WatchdogProblem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("@")]
    [InlineData("run/notify")]
    [InlineData("vsock:2:1234")]
    public void An_address_sd_notify_cannot_reach_is_named_as_the_problem(string address)
    {
        Assert.Equal(
            $"NOTIFY_SOCKET must be an absolute socket path or an abstract name starting with '@', got '{address}'",
            SystemdEnvironment.NotifySocketProblem(address));
    }

    [Theory]
    [InlineData("/run/systemd/notify")]
    [InlineData("@appliance-notify")]
    public void Paths_and_abstract_names_are_reachable(string address)
    {
        Assert.Null(SystemdEnvironment.NotifySocketProblem(address));
    }

    private static SystemdEnvironment Read(params (string Name, string Value)[] variables) =>
        SystemdEnvironment.Read(name => variables.FirstOrDefault(v => v.Name == name).Value, ProcessId);
}
