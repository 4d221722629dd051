using Microsoft.ML.OnnxRuntimeGenAI;

namespace Appliance.Peer.Tests;

/// <summary>GenAI's greedy continuation of a prompt: up to a number of new tokens, ending early at end-of-sequence.</summary>
internal static class GenAiGreedy
{
    public static int[] Generate(Model model, int[] prompt, int maxNewTokens)
    {
        using var parameters = new GeneratorParams(model);
        parameters.SetSearchOption("do_sample", false);
        parameters.SetSearchOption("max_length", prompt.Length + maxNewTokens);
        using var generator = new Generator(model, parameters);
        generator.AppendTokens(prompt);
        for (var step = 0; step < maxNewTokens && !generator.IsDone(); step++)
        {
            generator.GenerateNextToken();
        }

        return generator.GetSequence(0)[prompt.Length..].ToArray();
    }
}
