using Appliance.TestSupport;

namespace Appliance.Tests.TestSupport;

public sealed class ChildProcessTests
{
    [Fact]
    public void Standard_output_comes_back_and_the_environment_and_directory_are_the_ones_given()
    {
        using var directory = new TempDirectory("child-process");

        var output = ChildProcess.Run("/bin/sh", ["-c", "echo \"$GREETING\" \"$1\"; pwd", "sh", "there"], new Dictionary<string, string> { ["GREETING"] = "hello" }, directory.Path);

        Assert.Equal($"hello there\n{directory.Path}\n", output);
    }

    [Fact]
    public void A_failing_program_throws_with_its_exit_code_and_standard_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChildProcess.Run("/bin/sh", ["-c", "echo broken >&2; exit 3"]));

        Assert.Contains("failed with exit code 3: broken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_that_outlives_its_timeout_is_killed()
    {
        var error = Assert.Throws<TimeoutException>(() => ChildProcess.Run("/bin/sh", ["-c", "sleep 60"], timeout: TimeSpan.FromMilliseconds(200)));

        Assert.Contains("did not finish within", error.Message, StringComparison.Ordinal);
    }
}
