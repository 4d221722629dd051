using System.Globalization;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// Reports each weight tensor as the converter finishes it, with an ETA from the weights still to go (quantization
/// time is proportional to the weight count). Interactive: one status line rewritten in place. Otherwise (a log, a
/// pipe): one plain line per tensor.
/// </summary>
internal sealed class ConversionProgress
{
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private readonly int _lineWidth;
    private readonly TimeProvider _time;
    private readonly long _started;
    private long _totalWeights;
    private int _totalTensors;
    private long _doneWeights;
    private int _doneTensors;
    private int _lastLineLength;

    /// <param name="time">The clock elapsed time and the ETA are read from; the system clock unless a test fixes it.</param>
    /// <param name="lineWidth">Interactive only: the status line is cut to this width, since a wrapped line cannot be rewritten in place.</param>
    public ConversionProgress(TextWriter writer, bool interactive, TimeProvider? time = null, int lineWidth = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfLessThan(lineWidth, 10);
        _writer = writer;
        _interactive = interactive;
        _lineWidth = lineWidth;
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
    }

    /// <summary>Sets what 100 % is: the tensors and their weight count.</summary>
    public void Start(int tensors, long weights)
    {
        _totalTensors = tensors;
        _totalWeights = weights;
        _doneTensors = 0;
        _doneWeights = 0;
    }

    /// <param name="tensor">The tensor's name in the graph.</param>
    /// <param name="weights">Its weight count.</param>
    /// <param name="detail">What was done, e.g. "int4, rel. error 8.12 %".</param>
    public void Completed(string tensor, long weights, string detail)
    {
        _doneTensors++;
        _doneWeights += weights;
        var elapsed = _time.GetElapsedTime(_started);
        var remaining = _doneWeights > 0 && _totalWeights > _doneWeights
            ? TimeSpan.FromSeconds(elapsed.TotalSeconds * (_totalWeights - _doneWeights) / _doneWeights)
            : TimeSpan.Zero;
        var width = _totalTensors.ToString(CultureInfo.InvariantCulture).Length;
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"[{_doneTensors.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{_totalTensors}] {tensor}: {detail} | {Percent():F0} %, {Seconds(elapsed)} elapsed, eta {Seconds(remaining)}");
        if (!_interactive)
        {
            _writer.WriteLine(line);
            return;
        }

        // Carriage return and padding overwrite the previous status line in place.
        if (line.Length > _lineWidth)
        {
            line = line[..(_lineWidth - 3)] + "...";
        }

        _writer.Write('\r');
        _writer.Write(line.PadRight(_lastLineLength));
        _lastLineLength = line.Length;
        _writer.Flush();
    }

    /// <summary>Ends the interactive status line.</summary>
    public void Finish()
    {
        if (_interactive && _lastLineLength > 0)
        {
            _writer.WriteLine();
            _lastLineLength = 0;
        }
    }

    private double Percent() => _totalWeights > 0 ? 100.0 * _doneWeights / _totalWeights : 100;

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:F1} s");
}
