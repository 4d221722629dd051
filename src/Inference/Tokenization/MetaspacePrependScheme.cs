namespace Appliance.Inference.Tokenization;

/// <summary>When the Metaspace pre-tokenizer puts its replacement character in front of a piece.</summary>
internal enum MetaspacePrependScheme
{
    /// <summary>Every piece that does not start with it already.</summary>
    Always,

    /// <summary>Only the first piece of the text.</summary>
    First,

    /// <summary>Never.</summary>
    Never,
}
