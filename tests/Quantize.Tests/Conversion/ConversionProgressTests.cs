using Appliance.Quantize.Conversion;
using Appliance.TestSupport;

namespace Appliance.Quantize.Tests.Conversion;

public sealed class ConversionProgressTests
{
    [Fact]
    public void Plain_output_is_one_line_per_tensor_with_an_eta_from_the_weights_left()
    {
        var clock = new ManualTimeProvider();
        using var writer = new StringWriter();
        var progress = new ConversionProgress(writer, interactive: false, clock);
        progress.Start(tensors: 3, weights: 1000);

        clock.Advance(TimeSpan.FromSeconds(2));
        progress.Completed("a", 250, "int4, relative error 8.00 %");
        clock.Advance(TimeSpan.FromSeconds(2));
        progress.Completed("b", 250, "float");
        clock.Advance(TimeSpan.FromSeconds(4));
        progress.Completed("c", 500, "int8");
        progress.Finish();

        Assert.Equal(
            [
                "[1/3] a: int4, relative error 8.00 % | 25 %, 2.0 s elapsed, eta 6.0 s",
                "[2/3] b: float | 50 %, 4.0 s elapsed, eta 4.0 s",
                "[3/3] c: int8 | 100 %, 8.0 s elapsed, eta 0.0 s",
            ],
            writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Interactive_output_rewrites_one_status_line_and_ends_it()
    {
        var clock = new ManualTimeProvider();
        using var writer = new StringWriter();
        var progress = new ConversionProgress(writer, interactive: true, clock);
        progress.Start(tensors: 2, weights: 10);

        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Completed("model.layers.0.mlp.gate_up_proj", 5, "int4");
        progress.Completed("lm_head", 5, "int4");
        progress.Finish();

        var first = "[1/2] model.layers.0.mlp.gate_up_proj: int4 | 50 %, 1.0 s elapsed, eta 1.0 s";
        var second = "[2/2] lm_head: int4 | 100 %, 1.0 s elapsed, eta 0.0 s";
        Assert.Equal($"\r{first}\r{second.PadRight(first.Length)}{Environment.NewLine}", writer.ToString());
    }

    [Fact]
    public void Interactive_lines_wider_than_the_terminal_are_cut()
    {
        using var writer = new StringWriter();
        var progress = new ConversionProgress(writer, interactive: true, new ManualTimeProvider(), lineWidth: 40);
        progress.Start(tensors: 1, weights: 1);

        progress.Completed("model.layers.17.self_attn.qkv_proj", 1, "int4, relative error 8.00 %");

        Assert.Equal("\r[1/1] model.layers.17.self_attn.qkv_p...", writer.ToString());
    }
}
