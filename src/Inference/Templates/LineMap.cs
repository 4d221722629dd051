namespace Appliance.Inference.Templates;

/// <summary>Turns an offset in the template source into a line and column.</summary>
internal sealed class LineMap
{
    private readonly List<int> lineStarts = [0];

    public LineMap(string source)
    {
        for (var i = 0; i < source.Length; i++)
        {
            if (source[i] == '\n')
            {
                lineStarts.Add(i + 1);
            }
        }
    }

    public SourceLocation Locate(int offset)
    {
        var index = lineStarts.BinarySearch(offset);
        var line = index >= 0 ? index : ~index - 1;
        return new SourceLocation(line + 1, offset - lineStarts[line] + 1);
    }
}
