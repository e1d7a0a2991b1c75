using System.Text.RegularExpressions;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// The items of a litmus test's init block, as herd7's grammar writes them (<c>lib/stateParser.mly</c>): registers
/// (<c>0:X1=x</c>), scalars (<c>int x=1</c>, <c>[y]=2</c>), pointers (<c>int *p=&amp;x</c>, a location holding an address) and
/// arrays (<c>int64_t v[2]={1,2}</c>, <c>int x[2]</c> all zero), each with an optional C type. A value is an integer or an
/// address: <c>x</c>, <c>&amp;x</c>, or <c>v[1]</c> (cell 1's). A name may be used before it is declared (herd's A128 sets
/// <c>0:X2=v[0]</c> before <c>v</c>), so <see cref="Build"/> lays the names out once the block is read.
/// </summary>
sealed partial class LitmusInitBlock(string file)
{
    /// <summary>An integer, or the address of cell <see cref="Cell"/> of <see cref="Symbol"/>; where it was written, for errors.</summary>
    readonly record struct Value(long Integer, string? Symbol, int Cell, int Line, string Item);

    sealed record Declaration(SymbolKind Kind, ScalarType Type, Value[] Values);

    /// <summary>What the block sets up: the layout, a value per location, registers by thread, and each observable name's C type.</summary>
    public sealed record Result(
        LitmusLayout Layout,
        List<long> Memory,
        Dictionary<int, Dictionary<int, long>> Registers,
        Dictionary<int, int> RegisterLines,
        Dictionary<string, ScalarType> RegisterTypes);

    [GeneratedRegex(@"^(?:(?:unsigned|signed|const|volatile|int|long|short|char|u?int(?:8|16|32|64)_t|u?intptr_t)\s+)+")]
    private static partial Regex CType();

    [GeneratedRegex(@"^([A-Za-z_][\w.]*)\s*\[\s*(\d+)\s*\]$")]
    private static partial Regex Indexed();

    readonly List<string> _names = [];   // in order of first mention: the symbols' order, so their addresses are as before arrays
    readonly Dictionary<string, (Declaration Decl, int Line)> _declared = [];
    readonly Dictionary<int, Dictionary<int, Value>> _registers = [];
    readonly Dictionary<int, int> _registerLines = [];
    readonly Dictionary<string, ScalarType> _registerTypes = [];

    LitmusException Unsupported(int line, string reason, string construct) => new(file, line + 1, construct, reason);

    void Mention(string name)
    {
        if (!_names.Contains(name)) _names.Add(name);
    }

    /// <summary>One item, <paramref name="line"/> its 0-based line.</summary>
    public void Item(string item, int line)
    {
        if (item.Length == 0) return;
        var ctype = CType().Match(item);
        string body = item[ctype.Length..].Trim();
        var type = ctype.Length == 0 ? ScalarType.Int
            : ScalarTypes.Parse(ctype.Value) ?? throw Unsupported(line, "unsupported type: a plain char's signedness is the platform's", item);
        bool pointer = body.StartsWith('*');
        if (pointer) body = body[1..].Trim();
        string lhs = body, rhs = "";
        int eq = body.IndexOf('=');
        if (eq >= 0) (lhs, rhs) = (body[..eq].Trim(), body[(eq + 1)..].Trim());
        bool valued = eq >= 0;
        int colon = lhs.IndexOf(':');
        if (colon > 0 && int.TryParse(lhs[..colon], out int thread))
        {
            var reg = LitmusInstructions.Register(lhs[(colon + 1)..]);
            if (reg is null || reg.Value.Index == LitmusInstructions.Zero || pointer) throw Unsupported(line, "not a register X0-X30 or W0-W30", lhs);
            if (!_registers.TryGetValue(thread, out var regs)) _registers[thread] = regs = [];
            regs[reg.Value.Index] = valued ? Parse(rhs, line, item) : default;
            _registerTypes[$"{thread}:X{reg.Value.Index}"] = type;
            _registerLines.TryAdd(thread, line);
            return;
        }
        var array = Indexed().Match(lhs);
        if (array.Success)
        {
            // herd reads v[N] = {...} and v[N] alone; a single cell is never set on its own (its grammar refuses 'v[i] = value').
            if (valued && !(rhs.StartsWith('{') && rhs.EndsWith('}')))
                throw Unsupported(line, "an array is set whole, 'int v[2]={1,2}': herd reads no 'v[i]=value'", item);
            if (ctype.Length == 0 || pointer) throw Unsupported(line, "an array is declared with its element type: 'int v[2]'", item);
            if (!int.TryParse(array.Groups[2].Value, out int cells) || cells < 1 || cells > 1024) throw Unsupported(line, "an array has 1 to 1024 cells", item);
            var values = valued ? rhs[1..^1].Split(',').Select(v => Parse(v.Trim(), line, item)).ToArray() : new Value[cells];
            if (values.Length != cells) throw Unsupported(line, $"an array of {cells} cells set with {values.Length} values", item);
            Declare(array.Groups[1].Value, new Declaration(SymbolKind.Array, type, values), line, item);
            return;
        }
        string loc = lhs.StartsWith('[') && lhs.EndsWith(']') ? lhs[1..^1].Trim() : lhs;
        if (!LitmusInstructions.IsLabel(loc)) throw Unsupported(line, "unsupported init item", item);
        var value = valued ? Parse(rhs, line, item) : default;
        // A pointer is 8 bytes whatever it points to, and herd shows it unsigned.
        Declare(loc, new Declaration(pointer ? SymbolKind.Pointer : SymbolKind.Scalar, pointer ? ScalarType.UInt64 : type, [value]), line, item);
    }

    /// <summary>A scalar set again takes the new value and type, as before; an array or pointer declared twice is refused.</summary>
    void Declare(string name, Declaration d, int line, string item)
    {
        if (_declared.TryGetValue(name, out var before) && (before.Decl.Kind != SymbolKind.Scalar || d.Kind != SymbolKind.Scalar))
            throw Unsupported(line, $"'{name}' is declared twice (first at line {before.Line + 1})", item);
        Mention(name);
        _declared[name] = (d, line);
    }

    /// <summary>An integer, or an address: <c>x</c>, <c>&amp;x</c>, <c>v[1]</c>, <c>&amp;v[1]</c>.</summary>
    Value Parse(string text, int line, string item)
    {
        if (LitmusInstructions.TryInteger(text, out long n)) return new Value(n, null, 0, line, item);
        string s = text.StartsWith('&') ? text[1..].Trim() : text;
        var cell = Indexed().Match(s);
        string name = cell.Success ? cell.Groups[1].Value : s;
        int index = 0;
        if (!LitmusInstructions.IsLabel(name) || cell.Success && !int.TryParse(cell.Groups[2].Value, out index))
            throw Unsupported(line, $"unsupported init value '{text}'", item);
        Mention(name);
        return new Value(0, name, index, line, item);
    }

    /// <summary>Lays the names out in order of first mention (a name never declared is an int, 0) and resolves every address.</summary>
    public Result Build()
    {
        var layout = new LitmusLayout();
        foreach (string name in _names)
        {
            var d = _declared.TryGetValue(name, out var found) ? found.Decl : new Declaration(SymbolKind.Scalar, ScalarType.Int, [default]);
            layout.Add(name, d.Kind, d.Type, d.Values.Length);
        }
        var memory = _names.SelectMany(n => _declared.TryGetValue(n, out var d) ? d.Decl.Values : [default]).Select(v => Resolve(v, layout)).ToList();
        var registers = _registers.ToDictionary(t => t.Key, t => t.Value.ToDictionary(r => r.Key, r => Resolve(r.Value, layout)));
        return new Result(layout, memory, registers, _registerLines, _registerTypes);
    }

    long Resolve(Value v, LitmusLayout layout)
    {
        if (v.Symbol is null) return v.Integer;
        int symbol = layout.IndexOf(v.Symbol);
        var s = layout.Symbols[symbol];
        if (v.Cell == 0) return layout.Address(symbol);
        if (s.Kind != SymbolKind.Array) throw Unsupported(v.Line, $"'{v.Symbol}' is no array, so it has no cell {v.Cell}", v.Item);
        if (v.Cell >= s.Cells) throw Unsupported(v.Line, $"'{v.Symbol}' has {s.Cells} cells, no cell {v.Cell}", v.Item);
        return layout.Address(symbol, v.Cell);
    }
}
