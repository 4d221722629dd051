namespace Appliance.Inference.Models;

/// <summary>
/// Field numbers from onnx/onnx.proto: the model directory reads external-data references with them, and the
/// quantize tool's writer emits models with them.
/// </summary>
internal static class OnnxFields
{
    public static class Model
    {
        public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, Graph = 7, OpsetImport = 8, MetadataProps = 14;
    }

    public static class OperatorSetId
    {
        public const int Domain = 1, Version = 2;
    }

    public static class StringStringEntry
    {
        public const int Key = 1, Value = 2;
    }

    public static class Graph
    {
        public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12;
    }

    public static class Node
    {
        public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5, Domain = 7;
    }

    public static class Attribute
    {
        public const int Name = 1, F = 2, I = 3, S = 4, T = 5, Floats = 7, Ints = 8, Type = 20;
    }

    /// <summary>AttributeProto.AttributeType values.</summary>
    public static class AttributeType
    {
        public const int Float = 1, Int = 2, String = 3, Tensor = 4, Floats = 6, Ints = 7;
    }

    public static class Tensor
    {
        public const int Dims = 1, DataType = 2, Name = 8, RawData = 9, ExternalData = 13, DataLocation = 14;

        /// <summary>TensorProto.DataLocation.EXTERNAL.</summary>
        public const int LocationExternal = 1;
    }

    public static class ValueInfo
    {
        public const int Name = 1, Type = 2;
    }

    public static class TypeProto
    {
        public const int TensorType = 1;
    }

    public static class TensorType
    {
        public const int ElemType = 1, Shape = 2;
    }

    public static class TensorShape
    {
        public const int Dim = 1;
    }

    public static class Dimension
    {
        public const int DimValue = 1, DimParam = 2;
    }

    /// <summary>Protobuf wire types.</summary>
    public static class Wire
    {
        public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;
    }
}
