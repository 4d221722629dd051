namespace Appliance.Inference.Templates;

internal readonly record struct Token(TokenKind Kind, string Value, SourceLocation Location)
{
    /// <summary>How the token reads in an error message.</summary>
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of template",
        TokenKind.Text => "text",
        TokenKind.Comment => "comment",
        TokenKind.String => $"string '{Value}'",
        _ => $"'{Value}'",
    };

    public bool IsName(string name) => Kind == TokenKind.Name && Value == name;
}
