using Appliance.Quantize.Conversion;
using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Differential;

/// <summary>A synthetic Hugging Face checkpoint and its ONNX conversion, side by side in a temp directory.</summary>
internal sealed class ConvertedModel : IDisposable
{
    private readonly TempDirectory _root;

    private ConvertedModel(TempDirectory root, string hfDirectory, string modelDirectory)
    {
        _root = root;
        HfDirectory = hfDirectory;
        ModelDirectory = modelDirectory;
    }

    public string HfDirectory { get; }

    public string ModelDirectory { get; }

    public static ConvertedModel Create(SyntheticShape shape, ulong seed, ConversionPrecision precision = ConversionPrecision.Fp32, bool allLogits = false)
    {
        var root = new TempDirectory("appliance-differential");
        var hf = root.Combine("hf");
        var model = root.Combine("model");
        SyntheticModel.Write(shape, seed, hf);
        ModelConverter.Convert(new ConversionOptions(hf, model, precision, allLogits));
        return new ConvertedModel(root, hf, model);
    }

    public void Dispose() => _root.Dispose();
}
