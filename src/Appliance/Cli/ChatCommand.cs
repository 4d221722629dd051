using System.CommandLine;
using Appliance.Inference.Generation;
using Appliance.Inference.Templates;
using Appliance.Replies;

namespace Appliance.Cli;

/// <summary>
/// `appliance chat`: a conversation on stdin/stdout. Each line is a user turn; the whole history is rendered through
/// the chat template again every turn and the reply streams as text. "/exit" or end of input ends the session.
/// </summary>
internal static class ChatCommand
{
    public const string ExitCommand = "/exit";

    internal static Command Create(TextReader input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var model = new ModelOptions();
        var sampling = new SamplingOptions();
        var reply = new ReplyOptions();
        var command = new Command("chat", $"Chat with the model: one user message per line, {ExitCommand} or end of input to quit");
        model.AddTo(command);
        reply.AddTo(command);
        sampling.AddTo(command);

        command.SetAction((parse, cancellationToken) => CommandLineRunner.RunAsync(parse, async output =>
        {
            var limit = reply.Limit(parse);
            var stops = reply.StopStrings(parse);
            using var loaded = model.Load(parse, model.RequestedThreads(parse));
            var settings = sampling.Resolve(parse, loaded.Directory.Config.Search);
            var chat = ChatPrompt.Load(loaded.Directory.Path);
            var conversation = reply.StartConversation(parse);
            var error = parse.InvocationConfiguration.Error;
            var capacity = loaded.Generator.Decoder.Capacity;
            while (true)
            {
                error.Write("> ");
                var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line is null || line.Trim() == ExitCommand)
                {
                    return 0;
                }

                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                conversation.Add(new ChatMessage("user", line));
                var prompt = chat.Encode(conversation);
                var room = capacity - prompt.Length;
                if (room <= 0)
                {
                    throw new ContextLengthExceededException(
                        $"The conversation ({prompt.Length} tokens) no longer fits the model's maximum sequence length of {capacity}; start a new chat.",
                        prompt.Length,
                        capacity);
                }

                // The reply gets what the context has left, up to --max-new-tokens, so a long chat runs until it is full.
                var options = new GenerationOptions
                {
                    MaxNewTokens = Math.Min(limit, room),
                    Sampling = settings,
                    TokenIdLimit = chat.TokenIdLimit(loaded.Generator.Decoder.VocabSize),
                };
                var writer = ReplyOptions.CreateWriter(chat, stops, output);
                await loaded.Generator.GenerateAsync(prompt, options, writer.Write, cancellationToken).ConfigureAwait(false);
                writer.Finish();
                output.WriteLine();
                conversation.Add(new ChatMessage("assistant", writer.Text));
            }
        }));
        return command;
    }
}
