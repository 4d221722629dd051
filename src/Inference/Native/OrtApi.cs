namespace Appliance.Inference.Native;

/// <summary>
/// The entries of ONNX Runtime's <c>struct OrtApi</c> this binding calls, read by slot index from the table that
/// <c>OrtGetApiBase()->GetApi(version)</c> returns. The table is append-only, so a slot never moves between releases;
/// the indexes below follow the declaration order in onnxruntime_c_api.h (cross-checked with ORT's own static_asserts:
/// ReleaseCustomOpDomain = 101, ReleaseModelMetadata = 118, ReleaseAvailableProviders = 126, SetGlobalSpinControl = 149).
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>
    /// The lowest C API version containing every slot used here (the last, ClearBoundOutputs = 142, arrived in version 5),
    /// so older ONNX Runtime builds, such as those shipped for Jetson, still load.
    /// </summary>
    public const uint RequiredVersion = 5;

    public readonly delegate* unmanaged<nint, OrtErrorCode> GetErrorCode;
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;
    public readonly delegate* unmanaged<OrtLoggingLevel, byte*, nint*, nint> CreateEnv;
    public readonly delegate* unmanaged<nint, byte*, nint, nint*, nint> CreateSession;
    public readonly delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint> Run;
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;
    public readonly delegate* unmanaged<nint, int, nint> SetSessionExecutionMode;
    public readonly delegate* unmanaged<nint, byte*, nint> EnableProfiling;
    public readonly delegate* unmanaged<nint, nint> EnableMemPattern;
    public readonly delegate* unmanaged<nint, nint> DisableMemPattern;
    public readonly delegate* unmanaged<nint, nint> EnableCpuMemArena;
    public readonly delegate* unmanaged<nint, nint> DisableCpuMemArena;
    public readonly delegate* unmanaged<nint, GraphOptimizationLevel, nint> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;
    public readonly delegate* unmanaged<nint*, nint> CreateRunOptions;
    public readonly delegate* unmanaged<nint, byte*, nint> RunOptionsSetRunTag;
    public readonly delegate* unmanaged<nint, nint> RunOptionsSetTerminate;
    public readonly delegate* unmanaged<nint, nint> RunOptionsUnsetTerminate;
    public readonly delegate* unmanaged<nint, long*, nuint, TensorElementType, nint*, nint> CreateTensorAsOrtValue;
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, TensorElementType, nint*, nint> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged<nint, TensorElementType*, nint> GetTensorElementType;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;
    public readonly delegate* unmanaged<nint, byte**, nuint, nint> GetSymbolicDimensions;
    public readonly delegate* unmanaged<nint, nuint*, nint> GetTensorShapeElementCount;
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSession;
    public readonly delegate* unmanaged<nint, void> ReleaseValue;
    public readonly delegate* unmanaged<nint, void> ReleaseRunOptions;
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged<nint, nint, byte**, nint> SessionEndProfiling;
    public readonly delegate* unmanaged<byte***, int*, nint> GetAvailableProviders;
    public readonly delegate* unmanaged<byte**, int, nint> ReleaseAvailableProviders;
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;
    public readonly delegate* unmanaged<nint, nint, nint, nint> RunWithBinding;
    public readonly delegate* unmanaged<nint, nint*, nint> CreateIoBinding;
    public readonly delegate* unmanaged<nint, void> ReleaseIoBinding;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindInput;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindOutput;
    public readonly delegate* unmanaged<nint, byte*, nint, nint> BindOutputToDevice;
    public readonly delegate* unmanaged<nint, nint, nint**, nuint*, nint> GetBoundOutputValues;
    public readonly delegate* unmanaged<nint, void> ClearBoundInputs;
    public readonly delegate* unmanaged<nint, void> ClearBoundOutputs;

    public OrtApi(void** table)
    {
        GetErrorCode = (delegate* unmanaged<nint, OrtErrorCode>)table[1];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)table[2];
        CreateEnv = (delegate* unmanaged<OrtLoggingLevel, byte*, nint*, nint>)table[3];
        CreateSession = (delegate* unmanaged<nint, byte*, nint, nint*, nint>)table[7];
        Run = (delegate* unmanaged<nint, nint, byte**, nint*, nuint, byte**, nuint, nint*, nint>)table[9];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)table[10];
        SetSessionExecutionMode = (delegate* unmanaged<nint, int, nint>)table[13];
        EnableProfiling = (delegate* unmanaged<nint, byte*, nint>)table[14];
        EnableMemPattern = (delegate* unmanaged<nint, nint>)table[16];
        DisableMemPattern = (delegate* unmanaged<nint, nint>)table[17];
        EnableCpuMemArena = (delegate* unmanaged<nint, nint>)table[18];
        DisableCpuMemArena = (delegate* unmanaged<nint, nint>)table[19];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, GraphOptimizationLevel, nint>)table[23];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[24];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[25];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)table[30];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)table[31];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[34];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[36];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[37];
        CreateRunOptions = (delegate* unmanaged<nint*, nint>)table[39];
        RunOptionsSetRunTag = (delegate* unmanaged<nint, byte*, nint>)table[42];
        RunOptionsSetTerminate = (delegate* unmanaged<nint, nint>)table[46];
        RunOptionsUnsetTerminate = (delegate* unmanaged<nint, nint>)table[47];
        CreateTensorAsOrtValue = (delegate* unmanaged<nint, long*, nuint, TensorElementType, nint*, nint>)table[48];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, TensorElementType, nint*, nint>)table[49];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)table[51];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)table[55];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)table[56];
        GetTensorElementType = (delegate* unmanaged<nint, TensorElementType*, nint>)table[60];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)table[61];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)table[62];
        GetSymbolicDimensions = (delegate* unmanaged<nint, byte**, nuint, nint>)table[63];
        GetTensorShapeElementCount = (delegate* unmanaged<nint, nuint*, nint>)table[64];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)table[65];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)table[69];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)table[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)table[78];
        ReleaseEnv = (delegate* unmanaged<nint, void>)table[92];
        ReleaseStatus = (delegate* unmanaged<nint, void>)table[93];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)table[94];
        ReleaseSession = (delegate* unmanaged<nint, void>)table[95];
        ReleaseValue = (delegate* unmanaged<nint, void>)table[96];
        ReleaseRunOptions = (delegate* unmanaged<nint, void>)table[97];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)table[98];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)table[99];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)table[100];
        SessionEndProfiling = (delegate* unmanaged<nint, nint, byte**, nint>)table[110];
        GetAvailableProviders = (delegate* unmanaged<byte***, int*, nint>)table[125];
        ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, nint>)table[126];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)table[130];
        RunWithBinding = (delegate* unmanaged<nint, nint, nint, nint>)table[133];
        CreateIoBinding = (delegate* unmanaged<nint, nint*, nint>)table[134];
        ReleaseIoBinding = (delegate* unmanaged<nint, void>)table[135];
        BindInput = (delegate* unmanaged<nint, byte*, nint, nint>)table[136];
        BindOutput = (delegate* unmanaged<nint, byte*, nint, nint>)table[137];
        BindOutputToDevice = (delegate* unmanaged<nint, byte*, nint, nint>)table[138];
        GetBoundOutputValues = (delegate* unmanaged<nint, nint, nint**, nuint*, nint>)table[140];
        ClearBoundInputs = (delegate* unmanaged<nint, void>)table[141];
        ClearBoundOutputs = (delegate* unmanaged<nint, void>)table[142];
    }
}
