using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using System.CommandLine;

namespace Appliance.Cli;

/// <summary>
/// `appliance generate`: --prompt renders the model's chat template (with --system) and streams the reply as text;
/// --token-ids runs on raw ids and prints the generated ids. Timings go to stderr. A text reply takes the service's
/// path (<see cref="OnnxGenerationEngine"/>), so the CLI shows what a request would get.
/// </summary>
internal static class GenerateCommand
{
    internal static Command Create()
    {
        var model = new ModelOptions();
        var sampling = new SamplingOptions();
        var reply = new ReplyOptions();
        var prompt = new Option<string?>("--prompt") { HelpName = "TEXT", Description = "User message; the reply is streamed as text" };
        var tokenIds = TokenIdListOption.Create("--token-ids", "Prompt token ids, e.g. 1,2,3; prints the generated ids comma-separated", required: false);
        var jsonSchema = new Option<FileInfo?>("--json-schema")
        {
            HelpName = "FILE",
            Description = "Constrain the reply to JSON valid against this JSON schema (with --prompt)",
        };
        var command = new Command("generate", "Generate a reply to --prompt (text) or continue --token-ids (ids); timings on stderr")
        {
            prompt,
            tokenIds,
            jsonSchema,
        };
        model.AddTo(command);
        reply.AddTo(command);
        sampling.AddTo(command);

        command.SetAction((parse, cancellationToken) => CommandLineRunner.RunAsync(parse, async output =>
        {
            var text = parse.GetValue(prompt);
            var ids = parse.GetResult(tokenIds) is null ? null : parse.GetValue(tokenIds);
            if ((text is null) == (ids is null))
            {
                throw new UsageException("Give exactly one of --prompt (text) and --token-ids (ids).");
            }

            if (ids is not null && (parse.GetResult(reply.System) is not null || parse.GetResult(reply.Stop) is not null))
            {
                throw new UsageException("--system and --stop need --prompt; --token-ids works on raw ids.");
            }

            var schemaFile = parse.GetValue(jsonSchema);
            if (schemaFile is not null && ids is not null)
            {
                throw new UsageException("--json-schema needs --prompt; --token-ids works on raw ids.");
            }

            var grammar = schemaFile is null ? null : LoadSchema(schemaFile);
            var limit = reply.Limit(parse);
            var stops = reply.StopStrings(parse);
            var error = parse.InvocationConfiguration.Error;
            if (ids is not null)
            {
                using var loaded = model.Load(parse, model.RequestedThreads(parse));
                var settings = sampling.Resolve(parse, loaded.Directory.Config.Search);
                var options = new GenerationOptions { MaxNewTokens = limit, Sampling = settings };
                var result = await loaded.Generator.GenerateAsync(ids, options, cancellationToken: cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                output.WriteLine(string.Join(',', result.Tokens));
                var usage = new TokenUsage(ids.Length, result.Tokens.Count);
                error.WriteLine(ReplyOptions.Summary(new EngineReply("", result.FinishReason, usage, ReplyTimings.From(result.Timings, result.Timings.Total), settings)));
                return 0;
            }

            using var engine = model.LoadEngine(parse);
            var conversation = reply.StartConversation(parse);
            conversation.Add(new ChatMessage("user", text!));
            var request = new EngineRequest
            {
                Messages = conversation, MaxTokens = limit, Sampling = sampling.Request(parse), Stop = stops, ResponseFormat = grammar,
            };
            var generated = await ReplyOptions.ReplyAsync(engine, request, output, cancellationToken).ConfigureAwait(false);
            error.WriteLine(ReplyOptions.Summary(generated));
            return 0;
        }));
        return command;
    }

    private static JsonGrammar LoadSchema(FileInfo file)
    {
        try
        {
            return JsonGrammar.FromSchema(File.ReadAllText(file.FullName));
        }
        catch (Exception error) when (error is SchemaNotSupportedException or System.Text.Json.JsonException or IOException)
        {
            throw new UsageException($"--json-schema {file.FullName}: {error.Message}");
        }
    }
}
