namespace Appliance.Inference.Tokenization;

/// <summary>What a Split pre-tokenizer does with the matches (tokenizer.json "behavior").</summary>
internal enum SplitBehavior
{
    /// <summary>Matches are dropped.</summary>
    Removed,

    /// <summary>Matches become pieces of their own.</summary>
    Isolated,

    /// <summary>A match joins the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>A match joins the piece after it.</summary>
    MergedWithNext,

    /// <summary>Consecutive matches become one piece.</summary>
    Contiguous,
}
