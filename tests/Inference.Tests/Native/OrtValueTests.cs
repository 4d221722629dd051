using Appliance.Inference.Native;

namespace Appliance.Inference.Tests.Native;

public sealed unsafe class OrtValueTests
{
    [Fact]
    public void Tensor_over_managed_memory_shares_that_memory()
    {
        var data = new long[] { 1, 2, 3, 4, 5, 6 };
        using var value = OrtValue.CreateTensor(data.AsMemory(), [2, 3]);

        Assert.Equal(TensorElementType.Int64, value.ElementType);
        Assert.Equal([2, 3], value.GetShape());
        value.GetTensorSpan<long>()[4] = 50;
        Assert.Equal(50, data[4]);
    }

    [Fact]
    public void Tensor_may_view_a_prefix_of_larger_memory()
    {
        using var value = OrtValue.CreateTensor(new float[10].AsMemory(), [2, 2]);

        Assert.Equal(4, value.GetTensorSpan<float>().Length);
    }

    [Fact]
    public void Tensor_larger_than_its_memory_is_rejected_with_sizes()
    {
        var error = Assert.Throws<ArgumentException>(() => OrtValue.CreateTensor(new float[5].AsMemory(), [2, 3]));

        Assert.Contains("needs 24 bytes but the memory holds 20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensor_over_a_raw_pointer_uses_that_memory()
    {
        var data = new Half[] { (Half)1, (Half)2 };
        fixed (Half* p = data)
        {
            using var value = OrtValue.CreateTensor(p, sizeof(Half) * 2, TensorElementType.Float16, [2]);

            Assert.Equal(TensorElementType.Float16, value.ElementType);
            Assert.True(value.DataPointer == p);
            Assert.Equal((Half)2, value.GetTensorSpan<Half>()[1]);
        }
    }

    [Fact]
    public void Allocated_tensor_is_owned_by_onnx_runtime()
    {
        using var value = OrtValue.AllocateTensor(TensorElementType.Int32, [3, 4]);

        Assert.Equal([3, 4], value.GetShape());
        var span = value.GetTensorSpan<int>();
        Assert.Equal(12, span.Length);
        span.Fill(7);
        Assert.Equal(7, value.GetTensorSpan<int>()[11]);
    }

    [Fact]
    public void Reading_with_the_wrong_element_type_names_both_types()
    {
        using var value = OrtValue.AllocateTensor(TensorElementType.Float, [1]);

        var error = Assert.Throws<InvalidOperationException>(() => value.GetTensorSpan<long>());

        Assert.Contains("Float", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reshape_repoints_the_tensor_over_the_same_memory()
    {
        var data = new float[8];
        using var value = OrtValue.CreateTensor(data.AsMemory(), [1, 2]);

        value.Reshape([1, 8]);

        Assert.Equal([1, 8], value.GetShape());
        value.GetTensorSpan<float>()[7] = 3f;
        Assert.Equal(3f, data[7]);
        Assert.Throws<ArgumentException>(() => value.Reshape([1, 9]));
    }

    [Fact]
    public void Reshape_of_an_onnx_runtime_owned_tensor_is_refused()
    {
        using var value = OrtValue.AllocateTensor(TensorElementType.Float, [2]);

        Assert.Throws<InvalidOperationException>(() => value.Reshape([1]));
    }

    [Fact]
    public void Disposed_tensor_cannot_be_used()
    {
        var value = OrtValue.AllocateTensor(TensorElementType.Float, [2]);
        value.Dispose();

        Assert.Throws<ObjectDisposedException>(() => value.GetShape());
    }
}
