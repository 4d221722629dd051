namespace Appliance.Inference.Templates;

internal enum TokenKind
{
    Text,
    Comment,
    OpenStatement,
    CloseStatement,
    OpenExpression,
    CloseExpression,
    Number,
    String,
    Name,
    Equals,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    OpenBrace,
    CloseBrace,
    Comma,
    Dot,
    Colon,
    Pipe,

    /// <summary><c>+</c>, <c>-</c> or <c>~</c> between operands.</summary>
    Additive,

    /// <summary><c>*</c>, <c>/</c>, <c>//</c> or <c>%</c>.</summary>
    Multiplicative,
    Power,

    /// <summary><c>==</c>, <c>!=</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c> or <c>&gt;=</c>.</summary>
    Comparison,

    /// <summary>A <c>-</c> or <c>+</c> sign in front of an operand.</summary>
    Sign,
    End,
}
