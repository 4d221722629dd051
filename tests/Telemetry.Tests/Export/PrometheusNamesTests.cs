using Appliance.Telemetry.Export;

namespace Appliance.Telemetry.Tests.Export;

public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("appliance.requests", "{request}", true, "appliance_requests_total")]
    [InlineData("appliance.time_to_first_token", "s", false, "appliance_time_to_first_token_seconds")]
    [InlineData("appliance.decode_rate", "{token}/s", false, "appliance_decode_rate_per_second")]
    [InlineData("io.read", "By/s", false, "io_read_bytes_per_second")]
    [InlineData("buffer.size", "By", false, "buffer_size_bytes")]
    [InlineData("latency_seconds", "s", false, "latency_seconds")]
    [InlineData("9lives-cat", null, false, "_9lives_cat")]
    public void Instrument_names_and_units_become_prometheus_names(string instrument, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusNames.MetricName(instrument, unit, counter));

    [Fact]
    public void Label_names_values_and_help_are_escaped_as_the_text_format_says()
    {
        Assert.Equal("a_b_c", PrometheusNames.LabelName("a.b-c"));
        Assert.Equal("_0x", PrometheusNames.LabelName("0x"));
        Assert.Equal("back\\\\slash \\\"quoted\\\" line\\nbreak", PrometheusNames.EscapeLabelValue("back\\slash \"quoted\" line\nbreak"));
        Assert.Equal("help with \"quotes\" kept, \\\\ and \\n escaped", PrometheusNames.EscapeHelp("help with \"quotes\" kept, \\ and \n escaped"));
    }
}
