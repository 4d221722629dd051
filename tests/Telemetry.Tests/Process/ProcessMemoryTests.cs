using Appliance.Telemetry.Process;
using Appliance.TestSupport;

namespace Appliance.Telemetry.Tests.Process;

public sealed class ProcessMemoryTests
{
    [Fact]
    public void Reads_resident_and_peak_resident_bytes_from_proc_self_status()
    {
        using var proc = FakeProc("Name:\tappliance\nVmPeak:\t  900000 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\nThreads:\t4\n");

        var memory = new ProcessMemory(proc.Path).Read();

        Assert.Equal(new ProcessMemorySnapshot(1024 * 1024, 2048 * 1024), memory);
    }

    [Fact]
    public void A_missing_or_malformed_field_names_the_file_and_line()
    {
        using var missing = FakeProc("VmRSS:\t 10 kB\n");
        using var malformed = FakeProc("VmRSS:\t 10 MB\nVmHWM:\t 10 kB\n");

        var noPeak = Assert.Throws<InvalidOperationException>(() => new ProcessMemory(missing.Path).Read());
        var badUnit = Assert.Throws<InvalidOperationException>(() => new ProcessMemory(malformed.Path).Read());

        Assert.Equal($"{missing.Combine("self", "status")}: no VmHWM: line.", noPeak.Message);
        Assert.Contains("cannot parse \"VmRSS:\t 10 MB\"", badUnit.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_procfs_is_reported()
    {
        using var empty = new TempDirectory();

        var error = Assert.Throws<InvalidOperationException>(() => new ProcessMemory(empty.Path).Read());

        Assert.StartsWith($"{empty.Combine("self", "status")}: cannot read process memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_real_procfs_reports_this_process()
    {
        var memory = new ProcessMemory().Read();

        Assert.InRange(memory.ResidentBytes, 1 << 20, long.MaxValue);
        Assert.True(memory.PeakResidentBytes >= memory.ResidentBytes);
    }

    private static TempDirectory FakeProc(string status)
    {
        var proc = new TempDirectory("fake-proc");
        Directory.CreateDirectory(proc.Combine("self"));
        File.WriteAllText(proc.Combine("self", "status"), status);
        return proc;
    }
}
