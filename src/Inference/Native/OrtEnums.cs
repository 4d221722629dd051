using System.Diagnostics.CodeAnalysis;

namespace Appliance.Inference.Native;

/// <summary>ONNX Runtime's OrtErrorCode.</summary>
public enum OrtErrorCode
{
    Ok = 0,
    Fail,
    InvalidArgument,
    NoSuchFile,
    NoModel,
    EngineError,
    RuntimeException,
    InvalidProtobuf,
    ModelLoaded,
    NotImplemented,
    InvalidGraph,
    EpFail,
}

/// <summary>ONNX Runtime's OrtLoggingLevel.</summary>
public enum OrtLoggingLevel
{
    Verbose,
    Info,
    Warning,
    Error,
    Fatal,
}

/// <summary>ONNX Runtime's GraphOptimizationLevel.</summary>
public enum GraphOptimizationLevel
{
    DisableAll = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}

/// <summary>ONNX Runtime's ONNXTensorElementDataType (same numbers as ONNX TensorProto.DataType).</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Members mirror ONNX Runtime's element type names.")]
public enum TensorElementType
{
    Float = 1,
    UInt8 = 2,
    Int8 = 3,
    UInt16 = 4,
    Int16 = 5,
    Int32 = 6,
    Int64 = 7,
    String = 8,
    Bool = 9,
    Float16 = 10,
    Double = 11,
    UInt32 = 12,
    UInt64 = 13,
    BFloat16 = 16,
}
