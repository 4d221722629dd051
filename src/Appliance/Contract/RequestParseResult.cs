namespace Appliance.Contract;

/// <summary>
/// A parsed request, or the error to answer it with. <see cref="Id"/> and <see cref="ReplyTo"/> are whatever could be
/// read before the problem, so even a bad request is answered where its client listens.
/// </summary>
public sealed class RequestParseResult
{
    private RequestParseResult(ApplianceRequest? request, RequestError? error, string? id, string? replyTo)
    {
        Request = request;
        Error = error;
        Id = id;
        ReplyTo = replyTo;
    }

    public ApplianceRequest? Request { get; }

    public RequestError? Error { get; }

    public string? Id { get; }

    public string? ReplyTo { get; }

    public static RequestParseResult Success(ApplianceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request, null, request.Id, request.ReplyTo);
    }

    public static RequestParseResult Failure(RequestError error, string? id = null, string? replyTo = null)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(null, error, id, replyTo);
    }
}
