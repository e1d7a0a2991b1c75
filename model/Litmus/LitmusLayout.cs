using System.Globalization;

namespace SmmuActors.Model.Litmus;

/// <summary>What a name of the init block is: one value, a pointer, or an array of cells.</summary>
public enum SymbolKind { Scalar, Pointer, Array }

/// <summary>
/// A name of the init block and the memory locations it occupies: <see cref="Cells"/> consecutive locations from
/// <see cref="First"/>, each <see cref="CellSize"/> bytes apart, shown at <see cref="Type"/> (an array's element type).
/// </summary>
public sealed record LitmusSymbol(string Name, SymbolKind Kind, ScalarType Type, int First, int Cells, int CellSize)
{
    /// <summary>herd's name of cell <paramref name="i"/>: <c>v[1]</c>, or the symbol's own name when it is no array.</summary>
    public string CellName(int i) => Kind == SymbolKind.Array ? $"{Name}[{i.ToString(CultureInfo.InvariantCulture)}]" : Name;
}

/// <summary>
/// How the init block's names lie in memory. Each symbol has its own address (<see cref="LitmusValue.Address"/> of its
/// index), far from every other's, so address arithmetic stays within it. An array of N cells of a C type is N
/// consecutive locations at the type's size (int64_t 8 bytes, int 4, uint16_t 2), a pointer one 8-byte location: each
/// cell is its own location for coherence, ordering and dependencies, and an access must be to a whole cell, at its
/// start and of its size, since the model knows no access that covers part of a location or several (mixed-size). A
/// scalar is one location, accessed at its address at any width, as herd's default (non-mixed-size) model has it.
/// </summary>
public sealed class LitmusLayout
{
    readonly List<LitmusSymbol> _symbols = [];
    readonly List<string> _cells = [];

    public IReadOnlyList<LitmusSymbol> Symbols => _symbols;

    /// <summary>Every location's name, by location index: a scalar's or pointer's name, or an array cell's <c>v[i]</c>.</summary>
    public IReadOnlyList<string> Cells => _cells;

    /// <summary>A layout of scalars only, one location each, symbol and location indices the same.</summary>
    public static LitmusLayout Scalars(IEnumerable<string> names)
    {
        var layout = new LitmusLayout();
        foreach (string n in names) layout.Add(n, SymbolKind.Scalar, ScalarType.Int, 1);
        return layout;
    }

    /// <summary>Adds a symbol, its locations after every location so far; returns its index.</summary>
    public int Add(string name, SymbolKind kind, ScalarType type, int cells)
    {
        int size = kind switch { SymbolKind.Array => type.Bytes(), SymbolKind.Pointer => 8, _ => 0 };
        var s = new LitmusSymbol(name, kind, type, _cells.Count, cells, size);
        _symbols.Add(s);
        for (int i = 0; i < cells; i++) _cells.Add(s.CellName(i));
        return _symbols.Count - 1;
    }

    public int IndexOf(string name) => _symbols.FindIndex(s => s.Name == name);

    /// <summary>The address of cell <paramref name="cell"/> of symbol <paramref name="symbol"/>.</summary>
    public long Address(int symbol, int cell = 0) => LitmusValue.Address(symbol) + (long)cell * _symbols[symbol].CellSize;

    /// <summary>Whether <paramref name="v"/> is an address within one of the symbols (plus an offset or not).</summary>
    public bool IsAddress(long v) => v >= LitmusValue.AddressBase && v / LitmusValue.AddressBase - 1 < _symbols.Count;

    /// <summary>The symbol an address (<see cref="IsAddress"/>) is within.</summary>
    public LitmusSymbol SymbolAt(long address) => _symbols[(int)(address / LitmusValue.AddressBase - 1)];

    /// <summary>An address's byte offset from its symbol's start.</summary>
    public static long Offset(long address) => address % LitmusValue.AddressBase;

    /// <summary>An address as herd writes it: the symbol's name, or the name and a byte offset (<c>x[44]</c>, herd's A08).</summary>
    public string Show(long address)
    {
        long offset = Offset(address);
        return offset == 0 ? SymbolAt(address).Name : $"{SymbolAt(address).Name}[{offset.ToString(CultureInfo.InvariantCulture)}]";
    }

    /// <summary>
    /// The location an access of <paramref name="bytes"/> bytes at <paramref name="address"/> reads or writes, or -1 with
    /// why not (<paramref name="refusal"/>): it is no location of the test, or it covers part of a cell or more than one.
    /// </summary>
    public int Location(long address, int bytes, out string refusal)
    {
        refusal = "the address is no location of the test";
        if (!IsAddress(address)) return -1;
        var s = SymbolAt(address);
        long offset = Offset(address);
        if (s.Kind == SymbolKind.Scalar) return offset == 0 ? s.First : -1;
        if (offset >= (long)s.Cells * s.CellSize) return -1;
        if (offset % s.CellSize != 0 || bytes != s.CellSize)
        {
            string what = s.Kind == SymbolKind.Pointer ? "an 8-byte pointer" : $"an array of {s.CellSize}-byte cells";
            refusal = $"unsupported: {(bytes == 8 ? "an" : "a")} {bytes}-byte access at byte {offset} of {s.Name}, {what}: an access to part of a cell "
                + "or to more than one is mixed-size, which the model does not have";
            return -1;
        }
        return s.First + (int)(offset / s.CellSize);
    }
}
