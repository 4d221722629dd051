using Appliance.Benchmarks;
using Appliance.TestSupport;

namespace Appliance.Tests.Benchmarks;

public sealed class OrtProfileSummaryTests : IDisposable
{
    private readonly TempDirectory _directory = new("ort-profile-summary");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Decode_steps_are_summed_per_operator_and_prefill_runs_are_left_out()
    {
        // A prefill run (a node sees 8 positions) and two decode steps (every node sees one).
        var path = Write(
            Run(ts: 0, dur: 1000),
            Node("/a/MatMulNBits", "MatMulNBits", ts: 10, dur: 600, positions: 8),
            Node("/lm_head/MatMulNBits", "MatMulNBits", ts: 700, dur: 100, positions: 1),
            Run(ts: 2000, dur: 100),
            Node("/a/MatMulNBits", "MatMulNBits", ts: 2010, dur: 50, positions: 1),
            Node("/a/GroupQueryAttention", "GroupQueryAttention", ts: 2060, dur: 20, positions: 1),
            Run(ts: 3000, dur: 300),
            Node("/a/MatMulNBits", "MatMulNBits", ts: 3010, dur: 150, positions: 1),
            Node("/a/GroupQueryAttention", "GroupQueryAttention", ts: 3200, dur: 40, positions: 1),
            Node("/a/Reshape", "Reshape", ts: 3250, dur: 10, positions: null),
            Node("/embed/GatherBlockQuantized", "GatherBlockQuantized", ts: 3270, dur: 0, positions: 18)); // its first input is the table

        var summary = OrtProfileSummary.DecodeTime(path);

        Assert.Equal(
            [
                new OperatorTime("MatMulNBits", 0.1, 0.5),
                new OperatorTime("GroupQueryAttention", 0.03, 0.15),
                new OperatorTime("Reshape", 0.005, 0.025),
                new OperatorTime("GatherBlockQuantized", 0, 0),
                new OperatorTime(OrtProfileSummary.OutsideKernels, 0.065, 0.325),
            ],
            summary);
    }

    [Fact]
    public void A_trace_without_decode_steps_has_no_summary()
    {
        var path = Write(Run(ts: 0, dur: 100), Node("/a/MatMul", "MatMul", ts: 1, dur: 50, positions: 4));

        Assert.Empty(OrtProfileSummary.DecodeTime(path));
    }

    private string Write(params string[] events)
    {
        var path = _directory.Combine("profile.json");
        File.WriteAllText(path, "[\n" + string.Join(",\n", events) + "\n]\n");
        return path;
    }

    private static string Run(long ts, long dur) =>
        $$$"""{"cat": "Session", "pid": 1, "tid": 1, "dur": {{{dur}}}, "ts": {{{ts}}}, "ph": "X", "name": "model_run", "args": {}}""";

    private static string Node(string node, string op, long ts, long dur, int? positions)
    {
        var shape = positions is { } p ? $$$"""[{"float": [1, {{{p}}}, 64]}, {"float": [64, 2]}]""" : """[{"int64": [3]}]""";
        return $$$"""{"cat": "Node", "pid": 1, "tid": 1, "dur": {{{dur}}}, "ts": {{{ts}}}, "ph": "X", "name": "{{{node}}}_kernel_time", "args": {"op_name": "{{{op}}}", "provider": "CPUExecutionProvider", "input_type_shape": {{{shape}}}}}""";
    }
}
