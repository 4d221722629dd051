namespace Appliance.Inference.Native;

/// <summary>A loaded ONNX model ready to run.</summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private const int OnnxTypeTensor = 1;

    // ONNX Runtime requires the environment to outlive its sessions.
    private readonly OrtEnvironment _environment;
    private readonly OrtHandle _handle;

    public InferenceSession(OrtEnvironment env, string modelPath, SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        var api = OrtLibrary.Api;
        nint session;
        fixed (byte* path = Utf8Name.NulTerminated(modelPath))
        {
            OrtStatus.Check(api.CreateSession(env.Handle.Pointer, path, options.Handle.Pointer, &session));
        }

        _environment = env;
        _handle = new OrtHandle(session, api.ReleaseSession);
        Inputs = ReadNodes(api.SessionGetInputCount, api.SessionGetInputName, api.SessionGetInputTypeInfo, "input");
        Outputs = ReadNodes(api.SessionGetOutputCount, api.SessionGetOutputName, api.SessionGetOutputTypeInfo, "output");
    }

    public IReadOnlyList<NodeInfo> Inputs { get; }

    public IReadOnlyList<NodeInfo> Outputs { get; }

    internal nint Pointer => _handle.Pointer;

    /// <summary>Runs with bound inputs and outputs; allocates nothing managed.</summary>
    public void Run(IoBinding binding, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        OrtStatus.Check(OrtLibrary.Api.RunWithBinding(Pointer, options is null ? 0 : options.Handle.Pointer, binding.Handle.Pointer));
        GC.KeepAlive(binding);
        GC.KeepAlive(options);
        GC.KeepAlive(this);
    }

    /// <summary>Runs with the given inputs; returns the named outputs, allocated by ONNX Runtime and owned by the caller.</summary>
    public OrtValue[] Run(IReadOnlyList<string> inputNames, IReadOnlyList<OrtValue> inputs, IReadOnlyList<string> outputNames, RunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inputNames);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputNames);
        if (inputNames.Count != inputs.Count)
        {
            throw new ArgumentException($"{inputNames.Count} input names but {inputs.Count} input values.", nameof(inputs));
        }

        var inputBlock = new Utf8NameBlock(inputNames);
        var outputBlock = new Utf8NameBlock(outputNames);
        var inputValues = new nint[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            inputValues[i] = inputs[i].Pointer;
        }

        var outputValues = new nint[outputNames.Count];
        fixed (byte* inputBytes = inputBlock.Bytes)
        fixed (byte* outputBytes = outputBlock.Bytes)
        fixed (nint* inputPtrs = inputValues)
        fixed (nint* outputPtrs = outputValues)
        {
            var inNames = stackalloc byte*[inputNames.Count];
            var outNames = stackalloc byte*[outputNames.Count];
            inputBlock.Fill(inputBytes, inNames);
            outputBlock.Fill(outputBytes, outNames);
            OrtStatus.Check(OrtLibrary.Api.Run(Pointer, options is null ? 0 : options.Handle.Pointer,
                inNames, inputPtrs, (nuint)inputs.Count, outNames, (nuint)outputNames.Count, outputPtrs));
        }

        GC.KeepAlive(inputs);
        GC.KeepAlive(options);
        return [.. outputValues.Select(OrtValue.FromNative)];
    }

    /// <summary>Stops profiling and returns the path of the JSON trace ONNX Runtime wrote.</summary>
    public string EndProfiling()
    {
        byte* path;
        OrtStatus.Check(OrtLibrary.Api.SessionEndProfiling(Pointer, OrtCpu.Allocator, &path));
        return OrtCpu.TakeString(path);
    }

    public IoBinding CreateIoBinding() => new(this);

    public void Dispose()
    {
        _handle.Dispose();
        GC.KeepAlive(_environment);
    }

    private NodeInfo[] ReadNodes(
        delegate* unmanaged<nint, nuint*, nint> getCount,
        delegate* unmanaged<nint, nuint, nint, byte**, nint> getName,
        delegate* unmanaged<nint, nuint, nint*, nint> getTypeInfo,
        string kind)
    {
        nuint count;
        OrtStatus.Check(getCount(Pointer, &count));
        var nodes = new NodeInfo[count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            OrtStatus.Check(getName(Pointer, i, OrtCpu.Allocator, &name));
            var nodeName = OrtCpu.TakeString(name);
            nint typeInfo;
            OrtStatus.Check(getTypeInfo(Pointer, i, &typeInfo));
            try
            {
                nodes[i] = ReadTensorInfo(nodeName, typeInfo, kind);
            }
            finally
            {
                OrtLibrary.Api.ReleaseTypeInfo(typeInfo);
            }
        }

        return nodes;
    }

    private static NodeInfo ReadTensorInfo(string name, nint typeInfo, string kind)
    {
        var api = OrtLibrary.Api;
        int onnxType;
        OrtStatus.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
        if (onnxType != OnnxTypeTensor)
        {
            throw new NotSupportedException($"Model {kind} '{name}' is not a tensor (ONNX type {onnxType}); only tensor inputs and outputs are supported.");
        }

        nint tensorInfo; // owned by typeInfo
        OrtStatus.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
        TensorElementType elementType;
        OrtStatus.Check(api.GetTensorElementType(tensorInfo, &elementType));
        nuint rank;
        OrtStatus.Check(api.GetDimensionsCount(tensorInfo, &rank));
        var shape = new long[rank];
        var symbols = new string?[rank];
        var symbolPtrs = new nint[rank];
        fixed (long* dims = shape)
        fixed (nint* names = symbolPtrs)
        {
            OrtStatus.Check(api.GetDimensions(tensorInfo, dims, rank));
            OrtStatus.Check(api.GetSymbolicDimensions(tensorInfo, (byte**)names, rank));
        }

        for (var d = 0; d < symbols.Length; d++)
        {
            var symbol = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(symbolPtrs[d]);
            symbols[d] = string.IsNullOrEmpty(symbol) ? null : symbol;
        }

        return new NodeInfo(name, elementType, shape, symbols);
    }
}
