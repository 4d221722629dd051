using System.Diagnostics.CodeAnalysis;
using Appliance.Inference.Runtime;
using OnnxFields = Appliance.Inference.Models.OnnxFields;

namespace Appliance.Quantize.Onnx;

/// <summary>A node attribute (AttributeProto). Create one with the factories; each knows how to encode its value.</summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It is ONNX's AttributeProto, not a .NET attribute.")]
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Factories mirror ONNX's AttributeType names (INT, FLOAT, STRING, ...).")]
public abstract record OnnxAttribute(string Name)
{
    public static OnnxAttribute Int(string n, long v) => new IntAttribute(n, v);

    public static OnnxAttribute Float(string n, float v) => new FloatAttribute(n, v);

    public static OnnxAttribute String(string n, string v) => new StringAttribute(n, v);

    public static OnnxAttribute Ints(string n, params long[] v) => new IntsAttribute(n, v);

    public static OnnxAttribute Floats(string n, params float[] v) => new FloatsAttribute(n, v);

    public static OnnxAttribute Tensor(string n, OnnxElementType t, long[] shape, byte[] raw)
    {
        OnnxTensorEncoder.CheckLength(n, t, shape, raw.Length);
        return new TensorAttribute(n, t, shape, raw);
    }

    internal void Encode(ProtoWriter writer)
    {
        writer.WriteString(OnnxFields.Attribute.Name, Name);
        EncodeValue(writer);
    }

    /// <summary>Writes the value field and the matching AttributeProto.type.</summary>
    private protected abstract void EncodeValue(ProtoWriter writer);

    private sealed record IntAttribute(string Name, long Value) : OnnxAttribute(Name)
    {
        private protected override void EncodeValue(ProtoWriter writer)
        {
            writer.WriteInt64(OnnxFields.Attribute.I, Value);
            writer.WriteInt64(OnnxFields.Attribute.Type, OnnxFields.AttributeType.Int);
        }
    }

    private sealed record FloatAttribute(string Name, float Value) : OnnxAttribute(Name)
    {
        private protected override void EncodeValue(ProtoWriter writer)
        {
            writer.WriteFloat(OnnxFields.Attribute.F, Value);
            writer.WriteInt64(OnnxFields.Attribute.Type, OnnxFields.AttributeType.Float);
        }
    }

    private sealed record StringAttribute(string Name, string Value) : OnnxAttribute(Name)
    {
        private protected override void EncodeValue(ProtoWriter writer)
        {
            writer.WriteString(OnnxFields.Attribute.S, Value);
            writer.WriteInt64(OnnxFields.Attribute.Type, OnnxFields.AttributeType.String);
        }
    }

    private sealed record IntsAttribute(string Name, long[] Values) : OnnxAttribute(Name)
    {
        private protected override void EncodeValue(ProtoWriter writer)
        {
            writer.WritePackedInt64(OnnxFields.Attribute.Ints, Values);
            writer.WriteInt64(OnnxFields.Attribute.Type, OnnxFields.AttributeType.Ints);
        }
    }

    private sealed record FloatsAttribute(string Name, float[] Values) : OnnxAttribute(Name)
    {
        private protected override void EncodeValue(ProtoWriter writer)
        {
            writer.WritePackedFloat(OnnxFields.Attribute.Floats, Values);
            writer.WriteInt64(OnnxFields.Attribute.Type, OnnxFields.AttributeType.Floats);
        }
    }

    private sealed record TensorAttribute(string Name, OnnxElementType ElementType, long[] Shape, byte[] Raw) : OnnxAttribute(Name)
    {
        private protected override void EncodeValue(ProtoWriter writer)
        {
            writer.WriteMessage(OnnxFields.Attribute.T, OnnxTensorEncoder.Inline(name: null, ElementType, Shape, Raw));
            writer.WriteInt64(OnnxFields.Attribute.Type, OnnxFields.AttributeType.Tensor);
        }
    }
}
