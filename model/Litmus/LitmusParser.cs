using System.Text;
using System.Text.RegularExpressions;
using SmmuActors.Model.Sim;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// Reads an AArch64 litmus test in herd7's format: the <c>AArch64 NAME</c> line, optional quoted and
/// <c>key=value</c> header lines, the <c>{ ... }</c> init block, the <c>P0 | P1 ;</c> columns (labels
/// resolved to instruction indices), an optional <c>locations [...]</c> line and the final condition.
/// <c>(* ... *)</c> comments may stand anywhere. Every error is a <see cref="LitmusException"/> with the
/// file and line.
/// </summary>
public static partial class LitmusParser
{
    public static LitmusTest ParseFile(string path) =>
        Parse(InputFile.Read(path, reason => new InputFileException(path, reason)), path);

    public static LitmusTest Parse(string text, string file) => new Reader(text, file).Read();

    [GeneratedRegex(@"^[A-Za-z_][\w.-]*\s*=")]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"^([A-Za-z_][\w.]*):\s*(.*)$")]
    private static partial Regex LeadingLabel();

    /// <summary>The first line of the program, <c>P0 | P1 ;</c> or <c>P0 ;</c>.</summary>
    [GeneratedRegex(@"^\s*P0\s*[|;]")]
    private static partial Regex ProgramHeader();

    /// <summary>The words that end the program columns and start the tail.</summary>
    static readonly string[] TailWords = ["exists", "~", "forall", "locations", "filter"];

    sealed class Reader(string text, string file)
    {
        readonly string[] _lines = BlankComments(text, file).Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int _at;

        // Malformed: what no litmus test can be (a block never closed, a thread count at odds with itself, a label never or
        // twice defined). What herd's grammar may allow beyond this parser's (a header line, SP, a line without ';') is unsupported.
        LitmusException Error(int index, string reason, string construct) => new(file, index + 1, construct, reason, malformed: true);

        LitmusException Unsupported(int index, string reason, string construct) => new(file, index + 1, construct, reason);

        static string TestHas(int threads) => threads == 1 ? "the test has 1 thread" : $"the test has {threads} threads";

        /// <summary>
        /// OCaml-style comments (nesting) become spaces, newlines kept, so every line number stays true. One never closed
        /// is malformed, as in herd's lexer, and named by its line: blanked to the end, it left only "no init block".
        /// </summary>
        static string BlankComments(string s, string file)
        {
            var sb = new StringBuilder(s.Length);
            int depth = 0, line = 1, outermost = 0;
            for (int i = 0; i < s.Length; i++)
            {
                if (i + 1 < s.Length && s[i] == '(' && s[i + 1] == '*')
                {
                    if (depth++ == 0) outermost = line;
                    sb.Append("  ");
                    i++;
                    continue;
                }
                if (depth > 0 && i + 1 < s.Length && s[i] == '*' && s[i + 1] == ')') { depth--; sb.Append("  "); i++; continue; }
                if (s[i] == '\n') line++;
                sb.Append(depth > 0 && s[i] != '\n' ? ' ' : s[i]);
            }
            if (depth > 0) throw new LitmusException(file, outermost, "(*", "a comment '(*' never closed by '*)'", malformed: true);
            return sb.ToString();
        }

        int NextNonBlank()
        {
            while (_at < _lines.Length && string.IsNullOrWhiteSpace(_lines[_at])) _at++;
            return _at;
        }

        public LitmusTest Read()
        {
            if (NextNonBlank() == _lines.Length) throw Error(0, "empty file: no 'AArch64 NAME' line", "");
            var head = _lines[_at].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            // A file with no init block at all is no litmus test of any architecture: malformed, so --skip-unsupported does not count it.
            if (head[0] != "AArch64" && !_lines.Skip(_at + 1).Any(l => l.Contains('{'))) throw Error(_at, "not a litmus test: no init block", _lines[_at].Trim());
            if (head[0] != "AArch64") throw Unsupported(_at, "unsupported architecture (only AArch64 tests are read)", head[0]);
            if (head.Length != 2) throw Unsupported(_at, "the first line is 'AArch64 NAME'", _lines[_at].Trim());
            string name = head[1];
            _at++;
            SkipHeader();
            var init = Init();
            var (threads, labels) = Program(init.RegisterLines);
            if (_at == _lines.Length)
                throw Unsupported(Array.FindLastIndex(_lines, l => !string.IsNullOrWhiteSpace(l)), "no final condition (exists, ~exists or forall)", "");
            var layout = init.Layout;
            // A name the init block never mentions is an int location, 0 at the start.
            int Symbol(string name)
            {
                int i = layout.IndexOf(name);
                if (i >= 0) return i;
                init.Memory.Add(0);
                return layout.Add(name, SymbolKind.Scalar, ScalarType.Int, 1);
            }
            var tail = new LitmusConditionParser(file, layout, Symbol, reg => init.RegisterTypes.GetValueOrDefault(reg));
            var condition = tail.Parse(_lines[_at..], _at + 1);
            foreach (var o in tail.Mentioned)
                if (o.Thread >= threads.Count) throw new LitmusException(file, _at + 1, o.Name, $"names thread {o.Thread}, but {TestHas(threads.Count)}", malformed: true);
            var code = Resolve(threads, labels);
            var built = code.Select((c, t) => new LitmusThread(t, c, init.Registers.GetValueOrDefault(t) ?? new Dictionary<int, long>())).ToList();
            var test = new LitmusTest(name, file, layout, init.Memory, built, condition, Displayed(tail.Mentioned));
            LitmusLimits.Check(test);
            return test;
        }

        /// <summary>Quoted description lines and <c>key=value</c> lines (Cycle=, Hash=, ...) carry nothing the run needs, except a Variant=, which is refused.</summary>
        void SkipHeader()
        {
            // Without one, the lines before the program would read as unsupported header lines, and be skipped so.
            if (!_lines.Skip(_at).Any(l => l.Contains('{'))) throw Error(Math.Min(NextNonBlank(), _lines.Length - 1), "no init block", "{ ... }");
            while (!_lines[NextNonBlank()].Contains('{'))
            {
                string l = _lines[_at].Trim();
                if (!l.StartsWith('"') && !KeyValue().IsMatch(l)) throw Unsupported(_at, "unexpected before the init block", l);
                // herd's variants (mixed-size, memtag, ...) change the model: answering under the default one would be wrong.
                if (KeyValue().IsMatch(l) && l[..l.IndexOf('=')].Trim().Equals("Variant", StringComparison.OrdinalIgnoreCase) && l[(l.IndexOf('=') + 1)..].Trim().Length > 0)
                    throw Unsupported(_at, "herd's model variants are not modelled, only its default Armv8 model", l);
                _at++;
            }
        }

        /// <summary>
        /// The init block's items, separated by <c>;</c>, each read by <see cref="LitmusInitBlock"/> with its line for errors. An
        /// array's <c>{1,2}</c> is inside an item: only a <c>}</c> outside braces ends the block. The block's end is found
        /// before any item is read: in a block never closed, the program's lines would read as unsupported init items, and
        /// --skip-unsupported would pass over a file that is no litmus test.
        /// </summary>
        LitmusInitBlock.Result Init()
        {
            var block = new LitmusInitBlock(file);
            var items = new List<(string Text, int Line)>();
            int line = _at, col = _lines[_at].IndexOf('{') + 1, depth = 0;
            var item = new StringBuilder();
            int itemLine = line;
            while (true)
            {
                if (col >= _lines[line].Length)
                {
                    item.Append(' ');
                    line++;
                    col = 0;
                    if (line == _lines.Length) throw Error(_at, "the init block is never closed", "{");
                    // Even if a '}' comes later (a condition's x={1,2}), the program's header ends the block that never was.
                    if (depth == 0 && ProgramHeader().IsMatch(_lines[line]))
                        throw Error(_at, $"the init block is never closed before the program (line {line + 1})", "{");
                    continue;
                }
                char c = _lines[line][col++];
                if (c == '{') depth++;
                if (depth == 0 && c is ';' or '}')
                {
                    items.Add((item.ToString().Trim(), itemLine));
                    item.Clear();
                    if (c == '}') break;
                    continue;
                }
                if (c == '}') depth--;
                if (item.Length == 0 || string.IsNullOrWhiteSpace(item.ToString())) itemLine = line;
                item.Append(c);
            }
            if (!string.IsNullOrWhiteSpace(_lines[line][col..])) throw Unsupported(line, "unexpected after the init block", _lines[line][col..].Trim());
            foreach (var (text, at) in items) block.Item(text, at);
            _at = line + 1;
            return block.Build();
        }

        /// <summary>The <c>P0 | P1 ;</c> header and one row a line until the tail; labels are collected per thread.</summary>
        (List<List<(Instr Instr, string? Label)>> Code, List<Dictionary<string, int>> Labels) Program(Dictionary<int, int> initLines)
        {
            if (NextNonBlank() == _lines.Length) throw Error(_lines.Length - 1, "no program", "P0 | P1 ... ;");
            int headLine = _at;
            var names = Row(_lines[_at]);
            for (int t = 0; t < names.Count; t++)
                if (names[t] != $"P{t}") throw Error(headLine, $"expected thread P{t}", names[t]);
            foreach (var (t, l) in initLines)
                if (t >= names.Count) throw Error(l, $"the init block sets registers of thread {t}, but {TestHas(names.Count)}", $"{t}:");
            var code = names.Select(_ => new List<(Instr, string?)>()).ToList();
            var labels = names.Select(_ => new Dictionary<string, int>()).ToList();
            for (_at++; NextNonBlank() < _lines.Length && !TailWords.Any(w => _lines[_at].TrimStart().StartsWith(w, StringComparison.Ordinal)); _at++)
            {
                var cells = Row(_lines[_at]);
                if (cells.Count > names.Count) throw Error(_at, $"{cells.Count} columns, but {TestHas(names.Count)}", _lines[_at].Trim());
                for (int t = 0; t < cells.Count; t++) Cell(cells[t], code[t], labels[t]);
            }
            if (_at < _lines.Length && _lines[_at].TrimStart().StartsWith("filter", StringComparison.Ordinal))
                throw Unsupported(_at, "unsupported construct", "filter");
            return (code, labels);
        }

        List<string> Row(string line)
        {
            string l = line.Trim();
            if (!l.EndsWith(';')) throw Unsupported(_at, "a program line must end with ';'", l);
            return l[..^1].Split('|').Select(c => c.Trim()).ToList();
        }

        void Cell(string cell, List<(Instr, string?)> code, Dictionary<string, int> labels)
        {
            for (var m = LeadingLabel().Match(cell); m.Success; m = LeadingLabel().Match(cell))
            {
                if (!labels.TryAdd(m.Groups[1].Value, code.Count)) throw Error(_at, "label defined twice", m.Groups[1].Value);
                cell = m.Groups[2].Value.Trim();
            }
            if (cell.Length == 0) return;
            var d = LitmusInstructions.Decode(cell, _at + 1, file);
            code.Add((d.Instr, d.Label));
            if (d.Second is { } second) code.Add((second, null));
        }

        /// <summary>Each branch's label becomes the index of the instruction after it (the end of the code when last).</summary>
        List<IReadOnlyList<Instr>> Resolve(List<List<(Instr Instr, string? Label)>> code, List<Dictionary<string, int>> labels) =>
            code.Select((c, t) => (IReadOnlyList<Instr>)c.Select(x => x.Label is null ? x.Instr
                : labels[t].TryGetValue(x.Label, out int target) ? x.Instr with { Target = target }
                : throw new LitmusException(file, x.Instr.Line, x.Instr.Text, $"unknown label '{x.Label}'", malformed: true)).ToList()).ToList();

        /// <summary>
        /// herd's order in a printed state: registers by thread and number (XZR first), then locations and whole arrays by
        /// name, then array cells by array and index (herd's <c>Loc</c> before its <c>Deref</c>).
        /// </summary>
        static List<LitmusObserved> Displayed(IReadOnlyList<LitmusObserved> mentioned) =>
            mentioned.Where(o => o.Thread >= 0).OrderBy(o => o.Thread).ThenBy(o => o.Register == LitmusInstructions.Zero ? -1 : o.Register)
                .Concat(mentioned.Where(o => o.Thread < 0 && o.Index < 0).OrderBy(o => o.Name, StringComparer.Ordinal))
                .Concat(mentioned.Where(o => o.Index >= 0).OrderBy(o => o.Name[..o.Name.IndexOf('[')], StringComparer.Ordinal).ThenBy(o => o.Index))
                .ToList();
    }
}
