using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Templates;
using System.CommandLine;
using System.Globalization;

namespace Appliance.Cli;

/// <summary>The options shaping a text reply, shared by `generate` and `chat`: system message, stop strings, length.</summary>
internal sealed class ReplyOptions
{
    public Option<string?> System { get; } = new("--system") { Description = "System message placed before the conversation" };

    public Option<string[]> Stop { get; } = new("--stop")
    {
        Description = "Stop when this text appears (it is not printed); may be repeated",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<int> MaxNewTokens { get; } = new("--max-new-tokens") { Description = "Most tokens to generate per reply", DefaultValueFactory = _ => 64 };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(System);
        command.Options.Add(Stop);
        command.Options.Add(MaxNewTokens);
    }

    /// <summary>The --max-new-tokens value; less than 1 is a usage error.</summary>
    public int Limit(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var limit = parse.GetValue(MaxNewTokens);
        return limit > 0 ? limit : throw new UsageException($"--max-new-tokens must be at least 1, got {limit}.");
    }

    /// <summary>The --stop strings (none when not given); an empty one is a usage error.</summary>
    public string[] StopStrings(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var stops = parse.GetValue(Stop) ?? [];
        return stops.Any(string.IsNullOrEmpty) ? throw new UsageException("--stop needs a non-empty text.") : stops;
    }

    /// <summary>A new conversation: the --system message when given.</summary>
    public List<ChatMessage> StartConversation(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(System) is { } system ? [new ChatMessage("system", system)] : [];
    }

    /// <summary>
    /// Generates one reply through the engine, printing its text to <paramref name="output"/> as it comes. A sampling
    /// value out of range is a usage error; a cancelled reply (Ctrl+C) throws as cancelled.
    /// </summary>
    public static async Task<EngineReply> ReplyAsync(OnnxGenerationEngine engine, EngineRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(output);
        EngineReply reply;
        try
        {
            reply = await engine.GenerateAsync(request, output.Write, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException error) when (SamplingOptions.Names(error))
        {
            throw SamplingOptions.Problem(error);
        }

        cancellationToken.ThrowIfCancellationRequested();
        output.WriteLine();
        return reply;
    }

    /// <summary>The summary line printed on stderr after a reply.</summary>
    public static string Summary(EngineReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var timings = reply.Timings;
        var finish = reply.FinishReason == FinishReason.StoppedByCaller ? "stop string" : reply.FinishReason.ToString();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{reply.Usage.CompletionTokens} tokens ({SamplingOptions.Describe(reply.Sampling)}), finish: {finish}; prefill {reply.Usage.PromptTokens} tokens in " +
            $"{timings.PrefillMs:F1} ms ({timings.PrefillTokensPerSecond:F1} tokens/s), " +
            $"decode {timings.DecodeTokensPerSecond:F1} tokens/s");
    }
}
