namespace Appliance.Contract;

/// <summary>Why a request is answered with an error: one of <see cref="ErrorCodes"/> and a message naming the field.</summary>
public sealed record RequestError(string Code, string Message);
