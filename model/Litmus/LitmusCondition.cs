using System.Text.RegularExpressions;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// The tail of a litmus file: an optional <c>locations [...]</c> line and the final condition
/// (<c>exists</c>, <c>~exists</c>, <c>forall</c>) over <c>N:Xr=v</c>, <c>x=v</c>, <c>[x]=v</c> and array cell <c>v[1]=v</c>
/// atoms, herd's whole-array <c>x={1,0}</c>, or <c>!=</c> or <c>&lt;&gt;</c> for their negation (herd7's <c>NOTEQUAL</c>, which
/// its <c>lib/stateLexer.mll</c> reads from either), joined by <c>/\</c>, <c>\/</c>,
/// <c>~</c> (or <c>not</c>) and parentheses, <c>/\</c> binding tighter, as in herd7. Values are integers or a name (its address).
/// <paramref name="symbol"/> gives a name's index in <paramref name="layout"/>, adding an int location for a new one;
/// <paramref name="registerType"/> a register's C type.
/// </summary>
sealed partial class LitmusConditionParser(string file, LitmusLayout layout, Func<string, int> symbol, Func<string, ScalarType> registerType)
{
    readonly record struct Token(string Text, int Line);

    List<Token> _tokens = [];
    int _at;
    readonly List<LitmusObserved> _mentioned = [];

    /// <summary>What the condition and the locations line name, in order of first mention.</summary>
    public IReadOnlyList<LitmusObserved> Mentioned => _mentioned;

    [GeneratedRegex(@"/\\|\\/|!=|<>|=>|[~()\[\]=:;]|[A-Za-z0-9_.+-]+|\S")]
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

    // herd's condition grammar is richer than this one (tagged values, no quantifier at all): a condition it
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
        // herd's implication binds loosest, so it ends a disjunction: refused by name, not as a stray '='.
        if (Peek.Text == "=>") throw Error(Peek.Line, "unsupported connective (only /\\, \\/, ~ and not)", "=>");
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
        bool unequal = Peek.Text is "!=" or "<>";
        if (unequal) Next();
        else Expect("=");
        Prop atom = Peek.Text == "{" ? ArrayAtom(what) : Atom(what);
        return unequal ? new Prop.Not(atom) : atom;
    }

    /// <summary>
    /// A whole array is compared with <c>{...}</c> only: herd once read a bare <c>v</c> as its first cell (the A128 of its
    /// regression tests expects <c>v=22</c> so) and now reads it as the whole array, so a scalar there has no settled meaning.
    /// </summary>
    Prop Atom(LitmusObserved what)
    {
        var v = Next();
        if (what.Cells is { } n)
            throw Error(v.Line, $"{what.Name} is an array of {n} cells: compare it whole ({what.Name}={{...}}) or one cell ({what.Name}[i])", $"{what.Name}={v.Text}");
        return new Prop.Atom(what, Value(v));
    }

    /// <summary>herd's <c>x={1,0}</c>: a value per cell of a whole array.</summary>
    Prop ArrayAtom(LitmusObserved what)
    {
        var open = Next();
        var values = new List<long> { Value(Next()) };
        while (Peek.Text == ",")
        {
            Next();
            values.Add(Value(Next()));
        }
        Expect("}");
        if (what.Cells != values.Count)
            throw Error(open.Line, what.Cells is { } n ? $"{what.Name} has {n} cells, compared with {values.Count} values" : $"{what.Name} is no array", what.Name);
        return new Prop.ArrayAtom(what, values);
    }

    long Value(Token v)
    {
        if (LitmusInstructions.TryInteger(v.Text, out long n)) return n;
        // herd shows an address plus bytes as x[8] where a cell is v[1]: a written v[i] here would be ambiguous.
        if (Peek.Text == "[") throw Error(v.Line, "an address within an array is not read in a condition", v.Text);
        if (LitmusInstructions.IsLabel(v.Text)) return LitmusValue.Address(symbol(v.Text));
        throw Error(v.Line, "neither an integer nor a location", v.Text);
    }

    /// <summary><c>N:Xr</c>, <c>x</c>, <c>[x]</c> or an array's cell <c>v[i]</c>; recorded as mentioned.</summary>
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
        else if (Peek.Text == "[") o = Cell(t);
        else if (int.TryParse(t.Text, out int thread) && Peek.Text == ":")
        {
            Next();
            var r = Next();
            // herd's A164 observes 0:XZR, which is always 0.
            var reg = LitmusInstructions.Register(r.Text) ?? throw Error(r.Line, "not a register X0-X30, W0-W30, XZR or WZR", r.Text);
            string name = reg.Index == LitmusInstructions.Zero ? $"{thread}:XZR" : $"{thread}:X{reg.Index}";
            o = new LitmusObserved(thread, reg.Index, -1, name, registerType(name));
        }
        else o = Location(t);
        if (!_mentioned.Contains(o)) _mentioned.Add(o);
        return o;
    }

    /// <summary>A location by name: a scalar or pointer, or a whole array (all its cells).</summary>
    LitmusObserved Location(Token name)
    {
        var s = Symbol(name);
        return new LitmusObserved(-1, -1, s.First, s.Name, s.Type, Cells: s.Kind == SymbolKind.Array ? s.Cells : null);
    }

    /// <summary>One cell of an array, <c>v[i]</c> (herd's Deref); herd refuses an index out of bounds or on a non-array, and so does this.</summary>
    LitmusObserved Cell(Token name)
    {
        var s = Symbol(name);
        Expect("[");
        var index = Next();
        Expect("]");
        if (s.Kind != SymbolKind.Array) throw Error(name.Line, $"{s.Name} is no array, so it has no cell {index.Text}", $"{s.Name}[{index.Text}]");
        if (!int.TryParse(index.Text, out int i) || i < 0 || i >= s.Cells)
            throw Error(name.Line, $"{s.Name} has {s.Cells} cells, numbered from 0", $"{s.Name}[{index.Text}]");
        return new LitmusObserved(-1, -1, s.First + i, s.CellName(i), s.Type, Index: i);
    }

    LitmusSymbol Symbol(Token name)
    {
        if (!LitmusInstructions.IsLabel(name.Text) || name.Text is "exists" or "forall" or "not" or "true" or "false")
            throw Error(name.Line, "not a location, N:register or [location]", name.Text);
        return layout.Symbols[symbol(name.Text)];
    }
}
