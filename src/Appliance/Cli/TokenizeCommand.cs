using Appliance.Inference.Tokenization;
using System.CommandLine;
using System.Text.Json;

namespace Appliance.Cli;

/// <summary>`appliance tokenize`: prints the token ids of a text as a JSON array, or of many texts, one array per line.</summary>
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
        var lines = new Option<string?>("--lines")
        {
            HelpName = "FILE",
            Description = "JSON Lines file, one JSON string per line: each is tokenized on its own, one JSON array per line is printed",
        };
        var command = new Command("tokenize", "Print the token ids of --text or --file as a JSON array (special tokens added as the tokenizer says)")
        {
            tokenizer,
            text,
            file,
            lines,
        };

        command.SetAction((parse, cancellationToken) => CommandLineRunner.RunAsync(parse, output =>
        {
            var inline = parse.GetValue(text);
            var path = parse.GetValue(file);
            var linesPath = parse.GetValue(lines);
            if (new[] { inline, path, linesPath }.Count(value => value is not null) != 1)
            {
                throw new UsageException("Give exactly one of --text, --file and --lines.");
            }

            var tokenizerPath = parse.GetValue(tokenizer)!;
            var configPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerPath))!, "tokenizer_config.json");
            var loaded = Tokenizer.Load(tokenizerPath, File.Exists(configPath) ? configPath : null);
            if (linesPath is not null)
            {
                // One process for many texts: what a slow start (an emulator, a board) makes worth having.
                var number = 0;
                foreach (var line in File.ReadLines(linesPath))
                {
                    number++;
                    output.WriteLine($"[{string.Join(',', loaded.Encode(ReadJsonString(linesPath, number, line)))}]");
                }

                return Task.FromResult(0);
            }

            var ids = loaded.Encode(inline ?? File.ReadAllText(path!));
            output.WriteLine($"[{string.Join(',', ids)}]");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static string ReadJsonString(string path, int number, string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.String
                ? document.RootElement.GetString()!
                : throw new InvalidDataException($"{path}: line {number}: expected a JSON string, got {document.RootElement.ValueKind}.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: line {number}: not a JSON string: {error.Message}", error);
        }
    }
}
