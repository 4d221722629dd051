using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Templates;
using System.CommandLine;

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
            var samplingRequest = sampling.Request(parse);
            using var engine = model.LoadEngine(parse);

            // A bad value is reported before the first line is read, not at the first reply.
            _ = sampling.Resolve(parse, engine.SearchDefaults);
            var conversation = reply.StartConversation(parse);
            var error = parse.InvocationConfiguration.Error;
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

                // The reply gets what the context has left, up to --max-new-tokens, so a long chat runs until it is full.
                var turn = new EngineRequest { Messages = conversation, DefaultMaxTokens = limit, Sampling = samplingRequest, Stop = stops };
                EngineReply answer;
                try
                {
                    answer = await ReplyOptions.ReplyAsync(engine, turn, output, cancellationToken).ConfigureAwait(false);
                }
                catch (ContextLengthExceededException full)
                {
                    throw new ContextLengthExceededException(
                        $"The conversation ({full.PromptTokens} tokens) no longer fits the model's maximum sequence length of {full.MaxSequenceLength}; start a new chat.",
                        full.RequestedLength,
                        full.MaxSequenceLength);
                }

                conversation.Add(new ChatMessage("assistant", answer.Text));
            }
        }));
        return command;
    }
}
