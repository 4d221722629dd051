using Appliance.Telemetry.Sensors;
using Appliance.TestSupport;

namespace Appliance.Telemetry.Tests.Sensors;

public sealed class SystemSensorsTests
{
    private static readonly long PageSize = Environment.SystemPageSize;

    [Fact]
    public void A_plain_x86_box_reports_process_memory_load_and_every_thermal_zone_but_no_jetson()
    {
        var sample = new SystemSensors(FixtureTrees.X86).Sample();

        Assert.Equal(new ProcessSample(12345 * PageSize, 20.0), sample.Process);
        Assert.Equal(new HostSample(12000000L * 1024, 16318976L * 1024, 0.52), sample.Host);
        // Zone 10 has no temp (unreadable right now) and is left out; the second acpitz is told apart by its number.
        Assert.Equal(
            [new ThermalReading("acpitz", 27.8), new ThermalReading("x86_pkg_temp", 45.0), new ThermalReading("acpitz_2", 29.8)],
            sample.Thermal);
        Assert.Equal(45.0, sample.MaxTemperatureCelsius);
        Assert.Null(sample.Jetson);
    }

    [Fact]
    public void A_jetson_reports_gpu_load_and_clock_and_the_ina3221_rails()
    {
        var sensors = new SystemSensors(FixtureTrees.Jetson);

        var sample = sensors.Sample();

        Assert.True(sensors.HasJetsonSensors);
        Assert.Equal(new ProcessSample(60000 * PageSize, 5.0), sample.Process);
        Assert.Equal(new HostSample(3505128L * 1024, 7620324L * 1024, 2.75), sample.Host);
        Assert.Equal(
            [new ThermalReading("cpu-thermal", 48.5), new ThermalReading("soc0-thermal", 46.031), new ThermalReading("tj-thermal", 49.0)],
            sample.Thermal);
        var jetson = Assert.IsType<JetsonSample>(sample.Jetson);
        Assert.Equal(12.5, jetson.GpuLoadPercent);
        Assert.Equal(306000000, jetson.GpuFrequencyHz);
        // Channel 4 (a shunt-voltage sum without a label) is not a rail.
        Assert.Equal(
            [new PowerRailReading("VDD_IN", 5.072, 1.432), new PowerRailReading("VDD_CPU_GPU_CV", 5.064, 0.408), new PowerRailReading("VDD_SOC", 5.064, 0.816)],
            jetson.Rails);
        Assert.Equal(5.072 * 1.432, jetson.Rails[0].Watts, 12);
    }

    [Fact]
    public void Cpu_percent_after_the_first_sample_is_cpu_time_over_wall_time_between_samples()
    {
        using var root = FixtureTrees.Copy(FixtureTrees.X86);
        var clock = new ManualTimeProvider();
        var sensors = new SystemSensors(root.Path, clock);
        sensors.Sample();
        var stat = root.Combine("proc", "self", "stat");
        File.WriteAllText(stat, File.ReadAllText(stat).Replace(" 300 100 ", " 500 200 ", StringComparison.Ordinal));

        clock.Advance(TimeSpan.FromSeconds(10));
        var sample = sensors.Sample();

        // 300 ticks of 10 ms = 3 s of CPU in 10 s.
        Assert.Equal(30.0, sample.Process.CpuPercent!.Value, 9);
    }

    [Fact]
    public void A_gpu_zone_that_cannot_be_read_now_is_left_out_and_comes_back_when_readable()
    {
        using var root = FixtureTrees.Copy(FixtureTrees.Jetson);
        var sensors = new SystemSensors(root.Path);
        Assert.DoesNotContain(sensors.Sample().Thermal, zone => zone.Zone == "gpu-thermal");

        File.WriteAllText(root.Combine("sys", "class", "thermal", "thermal_zone1", "temp"), "51250\n");

        Assert.Contains(new ThermalReading("gpu-thermal", 51.25), sensors.Sample().Thermal);
    }

    [Fact]
    public void Content_the_kernel_would_not_write_is_an_error_naming_the_file()
    {
        using var root = FixtureTrees.Copy(FixtureTrees.X86);
        var temp = root.Combine("sys", "class", "thermal", "thermal_zone1", "temp");
        File.WriteAllText(temp, "hot\n");
        var meminfo = root.Combine("proc", "meminfo");
        var sensors = new SystemSensors(root.Path);

        var badTemp = Assert.Throws<InvalidDataException>(sensors.Sample);
        File.WriteAllText(temp, "45000\n");
        File.WriteAllText(meminfo, "MemTotal: 100 kB\nMemAvailable: 12 MB\n");
        var badMeminfo = Assert.Throws<InvalidDataException>(sensors.Sample);

        Assert.Equal($"{temp}: expected an integer, found \"hot\".", badTemp.Message);
        Assert.Equal($"{meminfo}: \"MemAvailable: 12 MB\" is not \"MemAvailable: <number> kB\".", badMeminfo.Message);
    }

    [Fact]
    public void Files_a_machine_lacks_read_as_null_and_a_root_without_proc_is_refused()
    {
        using var bare = new TempDirectory("sensor-root");
        Directory.CreateDirectory(bare.Combine("proc"));

        var sample = new SystemSensors(bare.Path).Sample();
        var noProc = Assert.Throws<DirectoryNotFoundException>(() => new SystemSensors(bare.Combine("proc")));

        Assert.Equal(new ProcessSample(null, null), sample.Process);
        Assert.Equal(new HostSample(null, null, null), sample.Host);
        Assert.Empty(sample.Thermal);
        Assert.Null(sample.Jetson);
        Assert.Null(sample.MaxTemperatureCelsius);
        Assert.Equal($"Sensor root {bare.Combine("proc")} has no proc directory ({bare.Combine("proc", "proc")}).", noProc.Message);
    }

    [Fact]
    public void This_machine_reports_its_own_process_and_memory()
    {
        var sensors = new SystemSensors();

        var sample = sensors.Sample();
        var cost = SamplingCost.Measure(sensors, samples: 20);

        Assert.InRange(sample.Process.ResidentBytes!.Value, 1L << 20, long.MaxValue);
        Assert.InRange(sample.Process.CpuPercent!.Value, 0, 100.0 * Environment.ProcessorCount * 2);
        Assert.InRange(sample.Host.MemoryAvailableBytes!.Value, 1, sample.Host.MemoryTotalBytes!.Value);
        Assert.Equal(20, cost.Samples);
        Assert.InRange(cost.Max, cost.Mean, TimeSpan.MaxValue);
    }
}
