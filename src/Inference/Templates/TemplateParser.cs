using System.Globalization;

namespace Appliance.Inference.Templates;

/// <summary>
/// Recursive-descent parser producing statements and expressions. Operator precedence follows the reference:
/// ternary &lt; or &lt; and &lt; not &lt; comparisons and in &lt; + - ~ &lt; * / // % &lt; ** &lt; is-tests &lt; filters &lt;
/// unary sign &lt; member access and calls. Unknown filters and tests are rejected here, as Jinja does.
/// </summary>
internal sealed class TemplateParser
{
    private const int MaxNesting = 200;

    private static readonly HashSet<string> ClosingKeywords =
        ["elif", "else", "endif", "endfor", "endmacro", "endset", "endcall", "endfilter", "endraw"];

    /// <summary>Names that end an expression, so a test never takes them as its bare argument.</summary>
    private static readonly HashSet<string> OperatorKeywords = ["and", "or", "if", "else", "not", "in", "is"];

    private readonly List<Token> tokens;
    private int current;
    private int loopDepth;
    private int nesting;
    private int blockDepth;
    private MacroUsage? macroUsage;

    private TemplateParser(List<Token> tokens) => this.tokens = tokens;

    public static List<Statement> Parse(string source)
    {
        var parser = new TemplateParser(TemplateLexer.Tokenize(source));
        return parser.ParseBlock(default, string.Empty).Body;
    }

    private Token Peek(int offset = 0) => tokens[Math.Min(current + offset, tokens.Count - 1)];

    private Token Next()
    {
        var token = Peek();
        current = Math.Min(current + 1, tokens.Count - 1);
        return token;
    }

    private bool At(TokenKind kind) => Peek().Kind == kind;

    private bool AtName(string name) => Peek().IsName(name);

    private Token Expect(TokenKind kind, string expected)
    {
        var token = Peek();
        return token.Kind == kind ? Next() : throw Error(token, $"expected {expected}, found {token.Describe()}");
    }

    private void ExpectClose(string statement) =>
        Expect(TokenKind.CloseStatement, $"'%}}' to end the '{statement}' tag");

    private static TemplateException Error(Token at, string message) => new(at.Location, message);

    /// <summary>
    /// Statements up to (not including) a <c>{% terminator %}</c> tag. Returns which terminator stopped it;
    /// the end of the template may only stop the top level.
    /// </summary>
    private (List<Statement> Body, string Terminator) ParseBlock(Token opener, string openerName, params string[] terminators)
    {
        if (terminators.Length > 0 && ++blockDepth > MaxNesting)
        {
            throw Error(opener, $"blocks nested more than {MaxNesting} levels deep");
        }

        try
        {
            return ParseStatements(opener, openerName, terminators);
        }
        finally
        {
            if (terminators.Length > 0)
            {
                blockDepth--;
            }
        }
    }

    private (List<Statement> Body, string Terminator) ParseStatements(Token opener, string openerName, string[] terminators)
    {
        var body = new List<Statement>();
        while (true)
        {
            var token = Peek();
            switch (token.Kind)
            {
                case TokenKind.End when terminators.Length == 0:
                    return (body, string.Empty);
                case TokenKind.End:
                    throw Error(opener, $"'{openerName}' is not closed: expected {Quote(terminators)} before the end of the template");
                case TokenKind.Comment:
                    current++;
                    break;
                case TokenKind.Text:
                    body.Add(new TextStatement(token.Location, token.Value));
                    current++;
                    break;
                case TokenKind.OpenExpression:
                    body.Add(ParseOutput());
                    break;
                case TokenKind.OpenStatement:
                    var keyword = Peek(1);
                    if (keyword.Kind == TokenKind.Name && terminators.Contains(keyword.Value))
                    {
                        return (body, keyword.Value);
                    }

                    if (keyword.Kind == TokenKind.Name && ClosingKeywords.Contains(keyword.Value))
                    {
                        throw Error(keyword, terminators.Length == 0
                            ? $"unexpected '{keyword.Value}': no open block to close"
                            : $"unexpected '{keyword.Value}': expected {Quote(terminators)} for the '{openerName}' on line {opener.Location.Line}");
                    }

                    body.Add(ParseStatement());
                    break;
                default:
                    throw Error(token, $"unexpected {token.Describe()}");
            }
        }
    }

    private static string Quote(string[] names) => string.Join(" or ", names.Select(name => $"'{name}'"));

    /// <summary>Consumes <c>{% name %}</c>, a closing or separating tag without arguments.</summary>
    private void ConsumeTag(string name)
    {
        Expect(TokenKind.OpenStatement, "'{%'");
        Next();
        ExpectClose(name);
    }

    private OutputStatement ParseOutput()
    {
        var open = Next();
        var expression = ParseExpression();
        Expect(TokenKind.CloseExpression, "'}}' to end the expression");
        return new OutputStatement(open.Location, expression);
    }

    private Statement ParseStatement()
    {
        var open = Next();
        var keyword = Peek();
        if (keyword.Kind != TokenKind.Name)
        {
            throw Error(keyword, $"expected a statement name after '{{%', found {keyword.Describe()}");
        }

        current++;
        switch (keyword.Value)
        {
            case "if":
                return ParseIf(keyword);
            case "for":
                return ParseFor(keyword);
            case "set":
                return ParseSet(keyword);
            case "macro":
                return ParseMacro(keyword);
            case "call":
                return ParseCallBlock(keyword);
            case "filter":
                return ParseFilterBlock(keyword);
            case "break" or "continue":
                if (loopDepth == 0)
                {
                    throw Error(keyword, $"'{keyword.Value}' outside of a for loop");
                }

                ExpectClose(keyword.Value);
                return new LoopControlStatement(open.Location, keyword.Value == "break" ? Flow.Break : Flow.Continue);
            default:
                throw Error(keyword, $"unknown statement '{keyword.Value}'");
        }
    }

    /// <summary>Parses an if (or elif) from its test through the matching endif.</summary>
    private IfStatement ParseIf(Token keyword)
    {
        var test = ParseExpression();
        ExpectClose(keyword.Value);
        var (body, terminator) = ParseBlock(keyword, "if", "elif", "else", "endif");
        var orElse = new List<Statement>();
        if (terminator == "elif")
        {
            Next();
            orElse.Add(ParseIf(Next()));
        }
        else if (terminator == "else")
        {
            ConsumeTag("else");
            orElse = ParseBlock(keyword, "if", "endif").Body;
            ConsumeTag("endif");
        }
        else
        {
            ConsumeTag("endif");
        }

        return new IfStatement(keyword.Location, test, body, orElse);
    }

    private ForStatement ParseFor(Token keyword)
    {
        var target = ParseLoopTarget();
        if (!AtName("in"))
        {
            throw Error(Peek(), $"expected 'in' after the loop variable, found {Peek().Describe()}");
        }

        current++;
        var iterable = ParseOr();
        Expression? filter = null;
        if (AtName("if"))
        {
            current++;
            filter = ParseExpression();
        }

        if (AtName("recursive"))
        {
            throw Error(Peek(), "recursive for loops are not supported");
        }

        ExpectClose("for");
        loopDepth++;
        var (body, terminator) = ParseBlock(keyword, "for", "else", "endfor");
        loopDepth--;
        var orElse = new List<Statement>();
        if (terminator == "else")
        {
            ConsumeTag("else");
            orElse = ParseBlock(keyword, "for", "endfor").Body;
        }

        ConsumeTag("endfor");
        return new ForStatement(keyword.Location, target, iterable, filter, body, orElse);
    }

    private Expression ParseLoopTarget()
    {
        var start = Peek();
        var target = At(TokenKind.OpenParen) ? ParsePrimary() : ParseNameSequence();
        return Assignment.IsValidTarget(target, allowAttribute: false)
            ? target
            : throw Error(start, "the loop variable must be a name or a tuple of names");
    }

    private Expression ParseNameSequence()
    {
        var first = Expect(TokenKind.Name, "a loop variable name");
        if (!At(TokenKind.Comma))
        {
            return new NameExpression(first.Location, first.Value);
        }

        var names = new List<Expression> { new NameExpression(first.Location, first.Value) };
        while (At(TokenKind.Comma) && Peek(1).Kind == TokenKind.Name)
        {
            current++;
            var name = Next();
            names.Add(new NameExpression(name.Location, name.Value));
        }

        return new ListExpression(first.Location, names, isTuple: true);
    }

    private SetStatement ParseSet(Token keyword)
    {
        var start = Peek();
        var target = ParseExpressionSequence();
        if (!Assignment.IsValidTarget(target, allowAttribute: true))
        {
            throw Error(start, "can only set a name, a tuple of names or a namespace attribute (ns.name)");
        }

        if (At(TokenKind.Equals))
        {
            current++;
            var value = ParseExpressionSequence();
            ExpectClose("set");
            return new SetStatement(keyword.Location, target, value, []);
        }

        ExpectClose("set");
        var body = ParseBlock(keyword, "set", "endset").Body;
        ConsumeTag("endset");
        return new SetStatement(keyword.Location, target, null, body);
    }

    private MacroStatement ParseMacro(Token keyword)
    {
        var name = Expect(TokenKind.Name, "a macro name");
        var parameters = ParseParameters();
        ExpectClose("macro");
        var (body, usage) = ParseCallableBody(keyword, "macro", "endmacro");
        return new MacroStatement(keyword.Location, Signature(name.Value, parameters, usage), body);
    }

    private CallBlockStatement ParseCallBlock(Token keyword)
    {
        var parameters = At(TokenKind.OpenParen) ? ParseParameters() : [];
        var start = Peek();
        if (ParsePostfix(ParsePrimary()) is not CallExpression call)
        {
            throw Error(start, "expected a macro call such as 'name(args)' after 'call'");
        }

        ExpectClose("call");
        var (body, usage) = ParseCallableBody(keyword, "call", "endcall");
        return new CallBlockStatement(keyword.Location, call, Signature("caller", parameters, usage), body);
    }

    private static MacroSignature Signature(string name, List<MacroParameter> parameters, MacroUsage usage) => new(
        name,
        parameters,
        usage.Varargs && !parameters.Exists(p => p.Name == "varargs"),
        usage.Kwargs && !parameters.Exists(p => p.Name == "kwargs"));

    /// <summary>A macro or call body: loops outside do not extend into it, and it records its own varargs/kwargs use.</summary>
    private (List<Statement> Body, MacroUsage Usage) ParseCallableBody(Token keyword, string name, string terminator)
    {
        var (savedLoopDepth, savedUsage) = (loopDepth, macroUsage);
        var usage = new MacroUsage();
        (loopDepth, macroUsage) = (0, usage);
        var body = ParseBlock(keyword, name, terminator).Body;
        (loopDepth, macroUsage) = (savedLoopDepth, savedUsage);
        ConsumeTag(terminator);
        return (body, usage);
    }

    private FilterBlockStatement ParseFilterBlock(Token keyword)
    {
        var name = Expect(TokenKind.Name, "a filter name");
        CheckFilter(name);
        var arguments = At(TokenKind.OpenParen) ? ParseArguments() : [];
        ExpectClose("filter");
        var body = ParseBlock(keyword, "filter", "endfilter").Body;
        ConsumeTag("endfilter");
        return new FilterBlockStatement(name.Location, name.Value, arguments, body);
    }

    private List<MacroParameter> ParseParameters()
    {
        Expect(TokenKind.OpenParen, "'(' to start the parameter list");
        var parameters = new List<MacroParameter>();
        while (!At(TokenKind.CloseParen))
        {
            var name = Expect(TokenKind.Name, "a parameter name");
            Expression? defaultValue = null;
            if (At(TokenKind.Equals))
            {
                current++;
                defaultValue = ParseExpression();
            }
            else if (parameters.Exists(p => p.Default is not null))
            {
                throw Error(name, $"parameter '{name.Value}' without a default follows parameters with defaults");
            }

            if (parameters.Exists(p => p.Name == name.Value))
            {
                throw Error(name, $"duplicate parameter '{name.Value}'");
            }

            parameters.Add(new MacroParameter(name.Value, defaultValue));
            if (!At(TokenKind.CloseParen))
            {
                Expect(TokenKind.Comma, "',' or ')' in the parameter list");
            }
        }

        current++;
        return parameters;
    }

    private Expression ParseExpressionSequence()
    {
        var first = ParseExpression();
        if (!At(TokenKind.Comma))
        {
            return first;
        }

        var items = new List<Expression> { first };
        while (At(TokenKind.Comma))
        {
            current++;
            if (Peek().Kind is TokenKind.CloseParen or TokenKind.CloseStatement or TokenKind.CloseExpression
                or TokenKind.Equals or TokenKind.End)
            {
                break;
            }

            items.Add(ParseExpression());
        }

        return new ListExpression(first.Location, items, isTuple: true);
    }

    private Expression ParseExpression()
    {
        if (++nesting > MaxNesting)
        {
            throw Error(Peek(), $"expression nested more than {MaxNesting} levels deep");
        }

        try
        {
            var value = ParseOr();
            if (!AtName("if"))
            {
                return value;
            }

            var keyword = Next();
            var test = ParseOr();
            Expression? otherwise = null;
            if (AtName("else"))
            {
                current++;
                otherwise = ParseExpression();
            }

            return new ConditionalExpression(keyword.Location, test, value, otherwise);
        }
        finally
        {
            nesting--;
        }
    }

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (AtName("or"))
        {
            var op = Next();
            left = new BinaryExpression(op.Location, "or", left, ParseAnd());
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (AtName("and"))
        {
            var op = Next();
            left = new BinaryExpression(op.Location, "and", left, ParseNot());
        }

        return left;
    }

    private Expression ParseNot()
    {
        if (!AtName("not"))
        {
            return ParseComparison();
        }

        var op = Next();
        return new UnaryExpression(op.Location, "not", Nested(ParseNot));
    }

    private Expression ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            string op;
            var token = Peek();
            if (token.IsName("not") && Peek(1).IsName("in"))
            {
                current += 2;
                op = "not in";
            }
            else if (token.IsName("in") || token.Kind == TokenKind.Comparison)
            {
                current++;
                op = token.Value;
            }
            else
            {
                return left;
            }

            left = new BinaryExpression(token.Location, op, left, ParseAdditive());
        }
    }

    private Expression ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (At(TokenKind.Additive))
        {
            var op = Next();
            left = new BinaryExpression(op.Location, op.Value, left, ParseMultiplicative());
        }

        return left;
    }

    private Expression ParseMultiplicative()
    {
        var left = ParsePower();
        while (At(TokenKind.Multiplicative))
        {
            var op = Next();
            left = new BinaryExpression(op.Location, op.Value, left, ParsePower());
        }

        return left;
    }

    /// <summary>Jinja's <c>**</c> is left-associative: 2 ** 3 ** 2 == (2 ** 3) ** 2.</summary>
    private Expression ParsePower()
    {
        var left = ParseTest();
        while (At(TokenKind.Power))
        {
            var op = Next();
            left = new BinaryExpression(op.Location, "**", left, ParseTest());
        }

        return left;
    }

    private Expression ParseTest()
    {
        var operand = ParseFilter();
        while (AtName("is"))
        {
            current++;
            var negate = AtName("not");
            if (negate)
            {
                current++;
            }

            var name = Expect(TokenKind.Name, "a test name after 'is'");
            if (!TemplateTests.Exists(name.Value))
            {
                throw Error(name, $"unknown test '{name.Value}'");
            }

            var arguments = new List<Argument>();
            if (At(TokenKind.OpenParen))
            {
                arguments = ParseArguments();
            }
            else if (TemplateTests.TakesArgument(name.Value) && StartsBareTestArgument(Peek()))
            {
                arguments.Add(new Argument(ArgumentKind.Positional, null, ParsePostfix(ParsePrimary())));
            }

            operand = new TestExpression(name.Location, operand, name.Value, negate, arguments);
        }

        return operand;
    }

    /// <summary>Jinja lets a one-argument test take a plain operand without parentheses: <c>x is divisibleby 3</c>.</summary>
    private static bool StartsBareTestArgument(Token token) => token.Kind switch
    {
        TokenKind.Number or TokenKind.String or TokenKind.OpenBracket or TokenKind.OpenBrace => true,
        TokenKind.Name => !OperatorKeywords.Contains(token.Value),
        _ => false,
    };

    private Expression ParseFilter()
    {
        var operand = ParseSign();
        while (At(TokenKind.Pipe))
        {
            current++;
            var name = Expect(TokenKind.Name, "a filter name after '|'");
            CheckFilter(name);
            var arguments = At(TokenKind.OpenParen) ? ParseArguments() : [];
            operand = new FilterExpression(name.Location, operand, name.Value, arguments);
        }

        return operand;
    }

    private static void CheckFilter(Token name)
    {
        if (!TemplateFilters.Exists(name.Value))
        {
            throw Error(name, $"unknown filter '{name.Value}'");
        }
    }

    private Expression ParseSign()
    {
        var token = Peek();
        if (token.Kind is TokenKind.Sign or TokenKind.Additive && token.Value is "-" or "+")
        {
            current++;
            return new UnaryExpression(token.Location, token.Value, Nested(ParseSign));
        }

        return ParsePostfix(ParsePrimary());
    }

    private T Nested<T>(Func<T> parse)
    {
        if (++nesting > MaxNesting)
        {
            throw Error(Peek(), $"expression nested more than {MaxNesting} levels deep");
        }

        try
        {
            return parse();
        }
        finally
        {
            nesting--;
        }
    }

    /// <summary>Attribute access, subscripts, slices and calls after a primary: <c>a.b[0](x).c</c>.</summary>
    private Expression ParsePostfix(Expression expression)
    {
        while (true)
        {
            var token = Peek();
            switch (token.Kind)
            {
                case TokenKind.Dot:
                    current++;
                    var member = Next();
                    if (member.Kind == TokenKind.Name)
                    {
                        expression = new AttributeExpression(member.Location, expression, member.Value);
                    }
                    else if (member.Kind == TokenKind.Number && member.Value.All(char.IsAsciiDigit))
                    {
                        var index = new LiteralExpression(member.Location, new IntValue(ParseInteger(member)));
                        expression = new IndexExpression(member.Location, expression, index);
                    }
                    else
                    {
                        throw Error(member, $"expected an attribute name after '.', found {member.Describe()}");
                    }

                    break;
                case TokenKind.OpenBracket:
                    current++;
                    expression = ParseSubscript(token, expression);
                    break;
                case TokenKind.OpenParen:
                    expression = new CallExpression(expression.Location, expression, ParseArguments());
                    break;
                default:
                    return expression;
            }
        }
    }

    /// <summary>After <c>[</c>: an index <c>[i]</c> or a slice <c>[start:stop:step]</c> with any part left out.</summary>
    private Expression ParseSubscript(Token open, Expression target)
    {
        var parts = new Expression?[3];
        var isSlice = false;
        if (!At(TokenKind.Colon))
        {
            if (At(TokenKind.CloseBracket))
            {
                throw Error(Peek(), "expected an index or slice inside '[]'");
            }

            parts[0] = ParseExpression();
        }

        for (var part = 1; part < 3 && At(TokenKind.Colon); part++)
        {
            isSlice = true;
            current++;
            if (!At(TokenKind.Colon) && !At(TokenKind.CloseBracket))
            {
                parts[part] = ParseExpression();
            }
        }

        Expect(TokenKind.CloseBracket, "']' to close the subscript");
        return isSlice
            ? new SliceExpression(open.Location, target, parts[0], parts[1], parts[2])
            : new IndexExpression(open.Location, target, parts[0]!);
    }

    private List<Argument> ParseArguments()
    {
        var open = Expect(TokenKind.OpenParen, "'('");
        var arguments = new List<Argument>();
        while (!At(TokenKind.CloseParen))
        {
            var token = Peek();
            Argument argument;
            if (token.Kind == TokenKind.Power)
            {
                current++;
                argument = new Argument(ArgumentKind.KeywordSpread, null, ParseExpression());
            }
            else if (token.Kind == TokenKind.Multiplicative && token.Value == "*")
            {
                current++;
                argument = new Argument(ArgumentKind.Spread, null, ParseExpression());
            }
            else if (token.Kind == TokenKind.Name && Peek(1).Kind == TokenKind.Equals)
            {
                current += 2;
                argument = new Argument(ArgumentKind.Keyword, token.Value, ParseExpression());
            }
            else
            {
                if (arguments.Exists(a => a.Kind is ArgumentKind.Keyword or ArgumentKind.KeywordSpread))
                {
                    throw Error(token, "positional argument follows keyword argument");
                }

                argument = new Argument(ArgumentKind.Positional, null, ParseExpression());
            }

            if (argument.Name is not null && arguments.Exists(a => a.Name == argument.Name))
            {
                throw Error(token, $"keyword argument '{argument.Name}' repeated");
            }

            arguments.Add(argument);
            if (At(TokenKind.Comma))
            {
                current++;
            }
            else if (!At(TokenKind.CloseParen))
            {
                throw Error(Peek(), $"expected ',' or ')' in the argument list opened on line {open.Location.Line}, found {Peek().Describe()}");
            }
        }

        current++;
        return arguments;
    }

    private Expression ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                return new LiteralExpression(token.Location, token.Value.Contains('.', StringComparison.Ordinal)
                    ? new FloatValue(double.Parse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture))
                    : new IntValue(ParseInteger(token)));
            case TokenKind.String:
                var text = token.Value;
                while (At(TokenKind.String))
                {
                    text += Next().Value;
                }

                return new LiteralExpression(token.Location, new StringValue(text));
            case TokenKind.Name:
                return NameOrConstant(token);
            case TokenKind.OpenParen:
                if (At(TokenKind.CloseParen))
                {
                    current++;
                    return new ListExpression(token.Location, [], isTuple: true);
                }

                var inner = Nested(ParseExpressionSequence);
                Expect(TokenKind.CloseParen, "')'");
                return inner;
            case TokenKind.OpenBracket:
                return new ListExpression(token.Location, ParseItems(TokenKind.CloseBracket, "']'", ParseExpression), isTuple: false);
            case TokenKind.OpenBrace:
                return new DictExpression(token.Location, ParseItems(TokenKind.CloseBrace, "'}'", ParseDictEntry));
            default:
                throw Error(token, $"expected a value, found {token.Describe()}");
        }
    }

    private (Expression, Expression) ParseDictEntry()
    {
        var key = ParseExpression();
        Expect(TokenKind.Colon, "':' between a dict key and its value");
        return (key, ParseExpression());
    }

    private List<T> ParseItems<T>(TokenKind close, string closeText, Func<T> parseItem)
    {
        var items = new List<T>();
        while (!At(close))
        {
            items.Add(Nested(parseItem));
            if (At(TokenKind.Comma))
            {
                current++;
            }
            else if (!At(close))
            {
                throw Error(Peek(), $"expected ',' or {closeText}, found {Peek().Describe()}");
            }
        }

        current++;
        return items;
    }

    private Expression NameOrConstant(Token token)
    {
        TemplateValue? constant = token.Value switch
        {
            "true" or "True" => BoolValue.True,
            "false" or "False" => BoolValue.False,
            "none" or "None" => NoneValue.Instance,
            _ => null,
        };
        if (constant is not null)
        {
            return new LiteralExpression(token.Location, constant);
        }

        macroUsage?.Note(token.Value);
        return new NameExpression(token.Location, token.Value);
    }

    private static long ParseInteger(Token token) =>
        long.TryParse(token.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Error(token, $"integer literal {token.Value} is too large");

    /// <summary>Whether a macro body reads <c>varargs</c> or <c>kwargs</c>, which makes the macro accept extra arguments.</summary>
    private sealed class MacroUsage
    {
        public bool Varargs { get; private set; }

        public bool Kwargs { get; private set; }

        public void Note(string name)
        {
            Varargs |= name == "varargs";
            Kwargs |= name == "kwargs";
        }
    }
}
