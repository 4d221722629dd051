namespace Appliance.Inference.Tokenization;

/// <summary>One piece of text between (or being) added-token matches: [Start, End) of the text that was split.</summary>
internal record struct TextSection(int Start, int End, bool FromMatch)
{
    public readonly int Length => End - Start;
}
