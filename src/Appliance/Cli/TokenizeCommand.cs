using System.CommandLine;
using Appliance.Inference.Tokenization;

namespace Appliance.Cli;

/// <summary>`appliance tokenize`: prints the token ids of a text as a JSON array.</summary>
internal static class TokenizeCommand
{
    internal static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer")
        {
            HelpName = "FILE",
            Description = "The tokenizer.json file (a tokenizer_config.json beside it is used too)",
            Required = true,
        };
        var text = new Option<string?>("--text") { HelpName = "TEXT", Description = "Text to tokenize" };
        var file = new Option<string?>("--file") { HelpName = "FILE", Description = "UTF-8 file whose whole content is tokenized" };
        var command = new Command("tokenize", "Print the token ids of --text or --file as a JSON array (special tokens added as the tokenizer says)")
        {
            tokenizer,
            text,
            file,
        };

        command.SetAction((parse, cancellationToken) => CommandLineRunner.RunAsync(parse, output =>
        {
            var inline = parse.GetValue(text);
            var path = parse.GetValue(file);
            if ((inline is null) == (path is null))
            {
                throw new UsageException("Give exactly one of --text and --file.");
            }

            var tokenizerPath = parse.GetValue(tokenizer)!;
            var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerPath))!, "tokenizer_config.json");
            var loaded = Tokenizer.Load(tokenizerPath, File.Exists(configPath) ? configPath : null);
            var ids = loaded.Encode(inline ?? File.ReadAllText(path!));
            output.WriteLine($"[{string.Join(',', ids)}]");
            return Task.FromResult(0);
        }));
        return command;
    }
}
