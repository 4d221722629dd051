namespace Appliance.Quantize.Onnx;

/// <summary>
/// Tracks which value names exist while a graph is built, so a misspelt or out-of-order name fails at the call that
/// introduced it (naming node and value) instead of as an opaque load error in ONNX Runtime.
/// </summary>
internal sealed class OnnxGraphNames
{
    private readonly HashSet<string> _available = new(StringComparer.Ordinal);
    private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
    private readonly List<string> _outputs = [];

    public void DeclareInput(string name) => Define(name, "graph input");

    public void DeclareInitializer(string name)
    {
        Define(name, "initializer");
        _initializers.Add(name);
    }

    public void DeclareOutput(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_outputs.Contains(name))
        {
            throw new InvalidOperationException($"Graph output '{name}' is declared twice.");
        }

        _outputs.Add(name);
    }

    public void DeclareNode(string node, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        foreach (var input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input);
            if (input.Length > 0 && !_available.Contains(input))
            {
                throw new InvalidOperationException(
                    $"Node '{node}' reads '{input}', which is not a graph input, an initializer or an output of an earlier node.");
            }
        }

        foreach (var output in outputs)
        {
            ArgumentNullException.ThrowIfNull(output);
            if (output.Length > 0)
            {
                Define(output, $"output of node '{node}'");
            }
        }
    }

    public void CheckOutputsProduced()
    {
        foreach (var output in _outputs)
        {
            if (!_available.Contains(output))
            {
                throw new InvalidOperationException($"Graph output '{output}' is not produced by any node, input or initializer.");
            }
        }
    }

    private void Define(string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_available.Add(name))
        {
            throw new InvalidOperationException($"Value name '{name}' ({what}) is already defined in the graph.");
        }
    }
}
