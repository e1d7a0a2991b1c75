using System.Text.RegularExpressions;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// The tail of a litmus file: an optional <c>locations [...]</c> line and the final condition
/// (<c>exists</c>, <c>~exists</c>, <c>forall</c>) over <c>N:Xr=v</c>, <c>x=v</c> and <c>[x]=v</c>
/// atoms, or <c>!=</c> for their negation (herd7's <c>NOTEQUAL</c>), joined by <c>/\</c>, <c>\/</c>, <c>~</c> (or <c>not</c>) and parentheses, <c>/\</c> binding
/// tighter, as in herd7. Values are integers or a location's name (its address).
/// </summary>
sealed partial class LitmusConditionParser(string file, Func<string, int> location, Func<string, ScalarType> type)
{
    readonly record struct Token(string Text, int Line);

    List<Token> _tokens = [];
    int _at;
    readonly List<LitmusObserved> _mentioned = [];

    /// <summary>What the condition and the locations line name, in order of first mention.</summary>
    public IReadOnlyList<LitmusObserved> Mentioned => _mentioned;

    [GeneratedRegex(@"/\\|\\/|!=|[~()\[\]=:;]|[A-Za-z0-9_.+-]+|\S")]
    private static partial Regex TokenPattern();

    /// <summary>Splits the tail's lines (the first is <paramref name="firstLine"/>) into tokens that remember their line.</summary>
    void Tokenize(IReadOnlyList<string> lines, int firstLine)
    {
        _tokens = [];
        for (int i = 0; i < lines.Count; i++)
            foreach (Match m in TokenPattern().Matches(lines[i]))
                _tokens.Add(new Token(m.Value, firstLine + i));
        _at = 0;
    }

    /// <summary>The next token; past the end, an empty one on the last line, so "ends early" names where.</summary>
    Token Peek => _at < _tokens.Count ? _tokens[_at] : new Token("", _tokens[^1].Line);

    Token Next() => _at < _tokens.Count ? _tokens[_at++] : throw Error(Peek.Line, "the condition ends early", Peek.Text);

    // herd's condition grammar is richer than this one (!=, arrays, tagged values, no quantifier at all): a condition it
    // cannot read is unsupported, never malformed.
    LitmusException Error(int line, string reason, string construct) => new(file, line, construct, reason);

    void Expect(string text)
    {
        var t = Next();
        if (t.Text != text) throw Error(t.Line, $"expected '{text}'", t.Text);
    }

    /// <summary>Reads the tail; the caller has checked it holds at least one non-blank line.</summary>
    public LitmusCondition Parse(IReadOnlyList<string> lines, int firstLine)
    {
        Tokenize(lines, firstLine);
        if (Peek.Text == "locations")
        {
            Locations();
            // A test that only lists locations asks for its states: herd prints its condition as forall (true) (L003).
            if (_at == _tokens.Count) return new LitmusCondition(Quantifier.Forall, new Prop.True());
        }
        var q = Next();
        Quantifier quantifier;
        if (q.Text == "exists") quantifier = Quantifier.Exists;
        else if (q.Text == "forall") quantifier = Quantifier.Forall;
        else if (q.Text == "~" && Peek.Text == "exists") { Next(); quantifier = Quantifier.NotExists; }
        else throw Error(q.Line, "unsupported condition (only exists, ~exists and forall, after an optional locations line)", q.Text);
        var prop = Disjunction();
        // herd7 reads a condition ended by ';' too (its catalogue's MP+rel+CAS-ok-bothRs-addr is written so).
        if (_at < _tokens.Count && Peek.Text == ";") Next();
        if (_at < _tokens.Count) throw Error(Peek.Line, "unexpected after the condition", Peek.Text);
        return new LitmusCondition(quantifier, prop);
    }

    void Locations()
    {
        Next();
        Expect("[");
        while (Peek.Text != "]")
        {
            Observed();
            if (Peek.Text == ";") Next();
            else if (Peek.Text != "]") throw Error(Peek.Line, "expected ';' or ']' in locations", Peek.Text);
        }
        Next();
    }

    Prop Disjunction()
    {
        var p = Conjunction();
        while (Peek.Text == "\\/") { Next(); p = new Prop.Or(p, Conjunction()); }
        return p;
    }

    Prop Conjunction()
    {
        var p = Unary();
        while (Peek.Text == "/\\") { Next(); p = new Prop.And(p, Unary()); }
        return p;
    }

    Prop Unary()
    {
        var t = Peek;
        switch (t.Text)
        {
            case "~" or "not": Next(); return new Prop.Not(Unary());
            case "(":
            {
                Next();
                var p = Disjunction();
                Expect(")");
                return p;
            }
            case "true": Next(); return new Prop.True();
            case "false": Next(); return new Prop.False();
        }
        var what = Observed();
        bool unequal = Peek.Text == "!=";
        if (unequal) Next();
        else Expect("=");
        var v = Next();
        var atom = new Prop.Atom(what, Value(v));
        return unequal ? new Prop.Not(atom) : atom;
    }

    long Value(Token v)
    {
        if (LitmusInstructions.TryInteger(v.Text, out long n)) return n;
        if (LitmusInstructions.IsLabel(v.Text)) return LitmusValue.Address(location(v.Text));
        throw Error(v.Line, "neither an integer nor a location", v.Text);
    }

    /// <summary><c>N:Xr</c>, <c>x</c> or <c>[x]</c>; recorded as mentioned.</summary>
    LitmusObserved Observed()
    {
        var t = Next();
        LitmusObserved o;
        if (t.Text == "[")
        {
            var name = Next();
            Expect("]");
            o = Location(name);
        }
        else if (int.TryParse(t.Text, out int thread) && Peek.Text == ":")
        {
            Next();
            var r = Next();
            // herd's A164 observes 0:XZR, which is always 0.
            var reg = LitmusInstructions.Register(r.Text) ?? throw Error(r.Line, "not a register X0-X30, W0-W30, XZR or WZR", r.Text);
            string name = reg.Index == LitmusInstructions.Zero ? $"{thread}:XZR" : $"{thread}:X{reg.Index}";
            o = new LitmusObserved(thread, reg.Index, -1, name, type(name));
        }
        else o = Location(t);
        if (!_mentioned.Contains(o)) _mentioned.Add(o);
        return o;
    }

    LitmusObserved Location(Token name)
    {
        if (!LitmusInstructions.IsLabel(name.Text) || name.Text is "exists" or "forall" or "not" or "true" or "false")
            throw Error(name.Line, "not a location, N:register or [location]", name.Text);
        return new LitmusObserved(-1, -1, location(name.Text), name.Text, type(name.Text));
    }
}
