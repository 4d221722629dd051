using Appliance.Cli;
using Appliance.Quantize.Cli;
using System.CommandLine;

var root = new RootCommand("quantize: turns a Hugging Face model into the ONNX model the appliance runs")
{
    ConvertCommand.Create(),
    EvalCommand.Create(),
    SynthCommand.Create(),
};
return await CommandLineRunner.InvokeAsync(root, args, Console.Out, Console.Error).ConfigureAwait(false);
