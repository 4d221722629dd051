using Appliance.Telemetry.Export;

namespace Appliance.Telemetry.Tests.Export;

public sealed class PrometheusTextTests
{
    [Theory]
    [InlineData("x86")]
    [InlineData("jetson")]
    public void Promtool_accepts_the_exposition(string machine)
    {
        var text = PrometheusText.Render(machine == "x86" ? SampleReports.X86() : SampleReports.Jetson());

        var (exitCode, output) = Promtool.CheckMetrics(text);

        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}: {output}\n{text}");
    }

    [Fact]
    public void Promtool_accepts_label_values_that_need_escaping()
    {
        var text = PrometheusText.Render(SampleReports.Build(Sensors.FixtureTrees.X86, metrics => metrics.RequestFinished("odd \"code\"\\with\nnewline")));

        var (exitCode, output) = Promtool.CheckMetrics(text);

        Assert.Contains("appliance_requests_total{outcome=\"odd \\\"code\\\"\\\\with\\nnewline\"} 1\n", text, StringComparison.Ordinal);
        Assert.True(exitCode == 0 && output.Length == 0, $"promtool check metrics exited {exitCode}: {output}\n{text}");
    }

    [Fact]
    public void Promtool_rejects_a_broken_exposition_so_its_verdict_means_something()
    {
        var (exitCode, _) = Promtool.CheckMetrics("# TYPE broken counter\nbroken{le=\"unterminated} 1\n");

        Assert.NotEqual(0, exitCode);
    }

    [Fact]
    public void Counters_end_in_total_and_histograms_have_cumulative_buckets_sum_and_count()
    {
        var text = PrometheusText.Render(SampleReports.X86());

        Assert.Contains(
            "# HELP appliance_requests_total Requests finished, by outcome (done, error code)\n" +
            "# TYPE appliance_requests_total counter\n" +
            "appliance_requests_total{outcome=\"done\"} 2\n" +
            "appliance_requests_total{outcome=\"busy\"} 1\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains(
            "# TYPE appliance_decode_rate_per_second histogram\n" +
            "appliance_decode_rate_per_second_bucket{le=\"1\"} 0\n" +
            "appliance_decode_rate_per_second_bucket{le=\"2\"} 0\n" +
            "appliance_decode_rate_per_second_bucket{le=\"5\"} 0\n" +
            "appliance_decode_rate_per_second_bucket{le=\"10\"} 0\n" +
            "appliance_decode_rate_per_second_bucket{le=\"20\"} 1\n" +
            "appliance_decode_rate_per_second_bucket{le=\"30\"} 2\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains(
            "appliance_decode_rate_per_second_bucket{le=\"+Inf\"} 2\n" +
            "appliance_decode_rate_per_second_sum 39.706\n" +
            "appliance_decode_rate_per_second_count 2\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains("appliance_time_to_first_token_seconds_bucket{le=\"0.5\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE appliance_queue_length gauge\nappliance_queue_length 2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Sensors_are_gauges_in_base_units_and_jetson_families_appear_only_on_a_jetson()
    {
        var x86 = PrometheusText.Render(SampleReports.X86());
        var jetson = PrometheusText.Render(SampleReports.Jetson());

        Assert.Contains("appliance_uptime_seconds 3725.9\n", x86, StringComparison.Ordinal);
        Assert.Contains("appliance_system_memory_available_bytes 12288000000\n", x86, StringComparison.Ordinal);
        Assert.Contains("appliance_system_load1 0.52\n", x86, StringComparison.Ordinal);
        Assert.Contains("appliance_thermal_zone_celsius{zone=\"acpitz_2\"} 29.8\n", x86, StringComparison.Ordinal);
        Assert.DoesNotContain("appliance_gpu", x86, StringComparison.Ordinal);
        Assert.DoesNotContain("appliance_power_rail", x86, StringComparison.Ordinal);
        Assert.Contains("appliance_gpu_load_percent 12.5\n", jetson, StringComparison.Ordinal);
        Assert.Contains("appliance_gpu_frequency_hertz 306000000\n", jetson, StringComparison.Ordinal);
        Assert.Contains("appliance_power_rail_volts{rail=\"VDD_IN\"} 5.072\n", jetson, StringComparison.Ordinal);
        Assert.Contains("appliance_power_rail_amperes{rail=\"VDD_SOC\"} 0.816\n", jetson, StringComparison.Ordinal);
        Assert.Contains("# TYPE appliance_power_rail_watts gauge\n", jetson, StringComparison.Ordinal);
    }
}
