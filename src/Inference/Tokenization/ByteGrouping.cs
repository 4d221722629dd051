namespace Appliance.Inference.Tokenization;

/// <summary>How a decoder turns tokens into bytes and bytes into text.</summary>
internal enum ByteGrouping
{
    /// <summary>Token text is output text.</summary>
    None,

    /// <summary>ByteFallback: runs of &lt;0xNN&gt; tokens are UTF-8 bytes; other tokens are text.</summary>
    ByteFallback,

    /// <summary>ByteLevel: every token is bytes in GPT-2's alphabet, except added tokens, which are text.</summary>
    ByteLevel,
}
