using Appliance.Engine;
using Appliance.Inference.Generation;
using Appliance.Inference.Models;
using Appliance.Inference.Templates;

namespace Appliance.Tests.Cli;

/// <summary>What a greedy reply should be, computed straight from the generator and tokenizer, not the command line.</summary>
internal static class GreedyReply
{
    public static (string Text, int PromptTokens, string[] TokenTexts) For(string modelPath, int maxNewTokens, params ChatMessage[] conversation)
    {
        var chat = ChatPrompt.Load(modelPath);
        var prompt = chat.Encode(conversation);
        using var generator = Generator.Open(ModelDirectory.Open(modelPath), new DecoderSessionOptions { IntraOpThreads = 1 });
        var tokens = generator.Generate(prompt, new GenerationOptions { MaxNewTokens = maxNewTokens }).Tokens;
        var streaming = chat.Tokenizer.CreateStreamingDetokenizer(skipSpecialTokens: true);
        return (chat.Tokenizer.Decode([.. tokens], skipSpecialTokens: true), prompt.Length, [.. tokens.Select(token => streaming.Push(token).ToString())]);
    }
}
