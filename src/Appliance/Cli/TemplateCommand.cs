using Appliance.Inference.Templates;
using System.CommandLine;
using System.Text.Json;

namespace Appliance.Cli;

/// <summary>`appliance template`: renders a tokenizer_config.json's chat template over a messages file, exactly.</summary>
internal static class TemplateCommand
{
    internal static Command Create()
    {
        var config = new Option<string>("--tokenizer-config") { HelpName = "FILE", Description = "The tokenizer_config.json file with the chat template", Required = true };
        var messages = new Option<string>("--messages")
        {
            HelpName = "FILE",
            Description = "JSON file holding the messages array ([{\"role\": ..., \"content\": ...}, ...])",
            Required = true,
        };
        var generationPrompt = new Option<bool>("--add-generation-prompt") { Description = "End with the assistant turn's opening" };
        var command = new Command("template", "Print the rendered prompt exactly as the model would see it (no newline added)")
        {
            config,
            messages,
            generationPrompt,
        };

        command.SetAction((parse, cancellationToken) => CommandLineRunner.RunAsync(parse, output =>
        {
            var chat = TokenizerChatConfig.Load(parse.GetValue(config)!);
            var template = chat.RequireTemplate();
            var context = chat.CreateContext(ReadMessages(parse.GetValue(messages)!), parse.GetValue(generationPrompt));
            output.Write(template.Render(context));
            output.Flush();
            return Task.FromResult(0);
        }));
        return command;
    }

    private static List<TemplateValue> ReadMessages(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path}: not valid JSON: {error.Message}", error);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}: expected a JSON array of messages, got {root.ValueKind}.");
            }

            return [.. root.EnumerateArray().Select(TemplateValue.FromJson)];
        }
    }
}
