namespace Appliance.Inference.Generation;

/// <summary>Receives each generated token as soon as it is chosen; return false to stop generating.</summary>
public delegate bool TokenCallback(int tokenId);
