using System.CommandLine;
using Appliance.Cli;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.Evaluation;
using Appliance.Quantize.Synthetic;

var root = new RootCommand("quantize: turns a Hugging Face model into the ONNX model the appliance runs")
{
    ConvertCommand.Create(),
    EvalCommand.Create(),
    SynthCommand.Create(),
};
return await CommandLineRunner.InvokeAsync(root, args, Console.Out, Console.Error).ConfigureAwait(false);
