using System.CommandLine;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.Evaluation;
using Appliance.Quantize.Synthetic;

var root = new RootCommand("quantize: turns a Hugging Face model into the ONNX model the appliance runs")
{
    ConvertCommand.Create(),
    EvalCommand.Create(),
    SynthCommand.Create(),
};
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
