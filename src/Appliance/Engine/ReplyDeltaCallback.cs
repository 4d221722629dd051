namespace Appliance.Engine;

/// <summary>
/// Receives, once per generated token, the reply text that token made final (often empty: a token may complete no
/// character yet, or fall inside a possible stop string). The span is valid only during the call.
/// </summary>
public delegate void ReplyDeltaCallback(ReadOnlySpan<char> delta);
