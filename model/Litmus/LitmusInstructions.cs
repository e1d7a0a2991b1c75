using System.Globalization;
using System.Text.RegularExpressions;

namespace SmmuActors.Model.Litmus;

/// <summary>
/// Decodes one AArch64 instruction of a litmus column into an <see cref="Instr"/>. Only the forms the
/// explorer gives a meaning to are accepted; anything else (another mnemonic, a byte/half-word access,
/// a shifted or pre/post-indexed address, SP) is a <see cref="LitmusException"/> naming the text, so
/// a test is never run with an instruction silently dropped or approximated.
/// </summary>
static partial class LitmusInstructions
{
    /// <summary>XZR/WZR: reads as zero, writes vanish (the contract's register 31).</summary>
    public const int Zero = 31;

    /// <summary>
    /// A decoded instruction and, for a branch, the label its target is still to be resolved from; for a pair (LDP, STP)
    /// <see cref="Second"/> is its other access, which takes the next index.
    /// </summary>
    public readonly record struct Decoded(Instr Instr, string? Label, Instr? Second = null);

    [GeneratedRegex(@"^([XW])(\d{1,2})$", RegexOptions.IgnoreCase)]
    private static partial Regex GeneralRegister();

    /// <summary>X0..X30 / W0..W30 / XZR / WZR: the index and whether it is a 64-bit (X) name; null when not a register.</summary>
    public static (int Index, bool Wide)? Register(string name)
    {
        string n = name.Trim().ToUpperInvariant();
        if (n == "XZR") return (Zero, true);
        if (n == "WZR") return (Zero, false);
        var m = GeneralRegister().Match(n);
        if (!m.Success) return null;
        int i = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        return i <= 30 ? (i, m.Groups[1].Value == "X") : null;
    }

    /// <summary>
    /// An integer as herd writes one: decimal or 0x hex, optionally negative, as the 64 bits of a register: from -2^63
    /// (herd's A194 starts a register at -9223372036854775808) to 2^64 - 1 (a uint64_t's largest value, which is -1).
    /// </summary>
    public static bool TryInteger(string text, out long value)
    {
        string t = text.Trim();
        bool negative = t.StartsWith('-');
        if (negative) t = t[1..];
        bool ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong magnitude)
            : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
        value = negative ? unchecked(-(long)magnitude) : unchecked((long)magnitude);
        return ok && (!negative || magnitude <= 1UL << 63);
    }

    public static Decoded Decode(string text, int line, string file) => new Decoder(text, line, file).Run();

    /// <summary>One instruction's decoding; every failure names the whole instruction text.</summary>
    sealed class Decoder(string text, int line, string file)
    {
        readonly string _mnemonic = Mnemonic(text);
        readonly List<string> _ops = Operands(text);

        static string Mnemonic(string t)
        {
            int sp = t.IndexOfAny([' ', '\t']);
            return (sp < 0 ? t : t[..sp]).ToUpperInvariant();
        }

        /// <summary>Operands split on the commas outside brackets, so <c>[X1,X2]</c> stays one operand.</summary>
        static List<string> Operands(string t)
        {
            int sp = t.IndexOfAny([' ', '\t']);
            var ops = new List<string>();
            if (sp < 0) return ops;
            int depth = 0, start = sp + 1;
            for (int i = start; i < t.Length; i++)
            {
                if (t[i] == '[') depth++;
                else if (t[i] == ']') depth--;
                else if (t[i] == ',' && depth == 0)
                {
                    ops.Add(t[start..i].Trim());
                    start = i + 1;
                }
            }
            string last = t[start..].Trim();
            if (last.Length > 0 || ops.Count > 0) ops.Add(last);
            return ops;
        }

        LitmusException Unsupported(string? why = null) =>
            new(file, line, text, why is null ? "unsupported instruction" : $"unsupported instruction ({why})");

        void Arity(int n)
        {
            if (_ops.Count != n) throw Unsupported($"{_mnemonic} takes {n} operand{(n == 1 ? "" : "s")}, found {_ops.Count}");
        }

        (int Index, bool Wide) Reg(int i) => Register(_ops[i]) ?? throw Unsupported($"'{_ops[i]}' is not a register X0-X30, W0-W30, XZR or WZR");

        /// <summary>The registers of one data operation are all X or all W, as the assembler requires.</summary>
        bool SameWidth(params (int Index, bool Wide)[] regs)
        {
            if (regs.Any(r => r.Wide != regs[0].Wide)) throw Unsupported("mixes X and W registers");
            return regs[0].Wide;
        }

        Operand RegOrImm(int i, bool wide)
        {
            string o = _ops[i];
            if (o.StartsWith('#'))
                return TryInteger(o[1..], out long v) ? Operand.Imm(v) : throw Unsupported($"'{o}' is not an immediate");
            var r = Reg(i);
            if (r.Wide != wide) throw Unsupported("mixes X and W registers");
            return Operand.Reg(r.Index);
        }

        /// <summary>
        /// <c>[Xn]</c>, <c>[Xn,#imm]</c>, <c>[Xn,Xm]</c>, or <c>[Xn,Wm,UXTW|SXTW]</c> (diy's address dependency): the W
        /// offset's low 32 bits zero- or sign-extended, as herd's <c>get_ea</c> extends it.
        /// </summary>
        (int Base, Operand Offset) Address(int i)
        {
            string o = _ops[i];
            if (!o.StartsWith('[') || !o.EndsWith(']')) throw Unsupported($"'{o}' is not an address [Xn], [Xn,#imm] or [Xn,Xm] (no pre/post-index)");
            var parts = o[1..^1].Split(',').Select(p => p.Trim()).ToArray();
            var b = Register(parts[0]);
            if (b is not { Wide: true } || b.Value.Index == Zero) throw Unsupported($"the base of '{o}' is not an X register");
            if (parts.Length == 1) return (b.Value.Index, Operand.Imm(0));
            if (parts[1].StartsWith('#'))
            {
                if (parts.Length > 2 || !TryInteger(parts[1][1..], out long imm)) throw Unsupported($"'{o}' has an offset other than #imm");
                return (b.Value.Index, Operand.Imm(imm));
            }
            var m = Register(parts[1]) ?? throw Unsupported($"'{parts[1]}' in '{o}' is not a register");
            bool extended = parts.Length == 3 && parts[2].ToUpperInvariant() is "UXTW" or "SXTW";
            if (parts.Length > 3 || (parts.Length == 3 && !extended)) throw Unsupported($"'{o}': only UXTW and SXTW extend an offset register (no shifts)");
            if (m.Wide == extended) throw Unsupported($"'{o}': an X offset takes no extension, a W offset needs UXTW or SXTW");
            var extend = !extended ? Extension.None : parts[2].ToUpperInvariant() == "SXTW" ? Extension.Sxtw : Extension.Uxtw;
            return (b.Value.Index, Operand.Reg(m.Index) with { Extend = extend });
        }

        public Decoded Run()
        {
            switch (_mnemonic)
            {
                case "MOV":
                {
                    Arity(2);
                    var d = Reg(0);
                    return Plain(new Instr(InstrKind.Mov, line, text, Rd: d.Index, Op2: RegOrImm(1, d.Wide), Wide: d.Wide));
                }
                case "LDR" or "LDAR" or "LDAPR" or "STR" or "STLR" or "LDUR" or "STUR":
                    return Access();
                case "LDXR" or "LDAXR" or "STXR" or "STLXR":
                    return Exclusive();
                case "LDP" or "STP":
                    return Pair();
                case "DMB" or "DSB":
                {
                    Arity(1);
                    var barrier = Barrier(_ops[0]);
                    if (barrier == BarrierKind.None) throw Unsupported("the options are SY, ISH, OSH, NSH and their LD and ST forms");
                    // aarch64.cat's DSB-ob: DSB's full and LD forms order as DMB's do, its ST forms also order earlier stores before later loads.
                    if (_mnemonic == "DSB" && barrier == BarrierKind.St) barrier = BarrierKind.DsbSt;
                    return Plain(new Instr(InstrKind.Dmb, line, text, Barrier: barrier));
                }
                case "NOP":
                    Arity(0);
                    return Plain(new Instr(InstrKind.Nop, line, text));
                case "ISB":
                    if (_ops.Count > 1 || (_ops.Count == 1 && !_ops[0].Equals("SY", StringComparison.OrdinalIgnoreCase))) throw Unsupported("ISB takes no option but SY");
                    return Plain(new Instr(InstrKind.Isb, line, text));
                // The aliases (Arm ARM C6.2): CMP, CMN and TST write XZR; MVN is ORN from XZR, NEG and NEGS subtract from it.
                case "CMP": return DataOp(AluOp.Sub, setsFlags: true, destination: false);
                case "CMN": return DataOp(AluOp.Add, setsFlags: true, destination: false);
                case "TST": return DataOp(AluOp.And, setsFlags: true, destination: false);
                case "MVN": return DataOp(AluOp.Orn, setsFlags: false, fromZero: true);
                case "NEG" or "NEGS": return DataOp(AluOp.Sub, _mnemonic == "NEGS", fromZero: true);
                case "UBFM" or "SBFM" or "UBFX" or "SBFX" or "UBFIZ" or "SBFIZ" or "LSL" or "LSR" or "ASR": return Bitfield();
                case "UXTB" or "UXTH" or "SXTB" or "SXTH" or "SXTW": return Extend();
                case "CSEL" or "CSINC" or "CSINV" or "CSNEG":
                {
                    Arity(4);
                    var (d, n, m) = (Reg(0), Reg(1), Reg(2));
                    bool wide = SameWidth(d, n, m);
                    return Plain(new Instr(SelectKind(_mnemonic), line, text, Rd: d.Index, Rn: n.Index, Op2: Operand.Reg(m.Index), Cond: Condition(_ops[3]), Wide: wide));
                }
                // CSET and CSETM are CSINC and CSINV of XZR, CINC, CINV and CNEG of one register, all with the opposite condition.
                case "CSET" or "CSETM":
                {
                    Arity(2);
                    var d = Reg(0);
                    return Plain(new Instr(_mnemonic == "CSET" ? InstrKind.Csinc : InstrKind.Csinv, line, text, Rd: d.Index, Rn: Zero, Op2: Operand.Reg(Zero),
                        Cond: Opposite(1), Wide: d.Wide));
                }
                case "CINC" or "CINV" or "CNEG":
                {
                    Arity(3);
                    var (d, n) = (Reg(0), Reg(1));
                    bool wide = SameWidth(d, n);
                    return Plain(new Instr(SelectKind("CS" + _mnemonic[1..]), line, text, Rd: d.Index, Rn: n.Index, Op2: Operand.Reg(n.Index), Cond: Opposite(2), Wide: wide));
                }
                case "CBZ" or "CBNZ":
                {
                    Arity(2);
                    var t = Reg(0);
                    return new(new Instr(_mnemonic == "CBZ" ? InstrKind.Cbz : InstrKind.Cbnz, line, text, Rt: t.Index, Wide: t.Wide), Label(1));
                }
                case "TBZ" or "TBNZ":
                {
                    Arity(3);
                    var t = Reg(0);
                    if (!_ops[1].StartsWith('#') || !TryInteger(_ops[1][1..], out long bit) || bit < 0 || bit >= (t.Wide ? 64 : 32))
                        throw Unsupported($"'{_ops[1]}' is not a bit number of {_ops[0]}");
                    return new(new Instr(_mnemonic == "TBZ" ? InstrKind.Tbz : InstrKind.Tbnz, line, text, Rt: t.Index, Op2: Operand.Imm(bit), Wide: t.Wide), Label(2));
                }
                case "B":
                    Arity(1);
                    return new(new Instr(InstrKind.B, line, text), Label(0));
            }
            if (DataOps.TryGetValue(_mnemonic, out var data)) return DataOp(data.Op, data.SetsFlags);
            if (_mnemonic.StartsWith("B.", StringComparison.Ordinal))
            {
                Arity(1);
                return new(new Instr(InstrKind.BCond, line, text, Cond: Condition(_mnemonic[2..])), Label(0));
            }
            return Atomic() ?? throw Unsupported();
        }

        static Decoded Plain(Instr i) => new(i, null);

        static readonly Dictionary<string, (AluOp Op, bool SetsFlags)> DataOps = new()
        {
            ["ADD"] = (AluOp.Add, false), ["ADDS"] = (AluOp.Add, true), ["SUB"] = (AluOp.Sub, false), ["SUBS"] = (AluOp.Sub, true),
            ["AND"] = (AluOp.And, false), ["ANDS"] = (AluOp.And, true), ["BIC"] = (AluOp.Bic, false), ["BICS"] = (AluOp.Bic, true),
            ["ORR"] = (AluOp.Orr, false), ["ORN"] = (AluOp.Orn, false), ["EOR"] = (AluOp.Eor, false), ["EON"] = (AluOp.Eon, false),
        };

        /// <summary>
        /// A data-processing instruction: Rd, Rn and a second operand, an immediate or a register, either with an optional
        /// shift, or for ADD, ADDS, SUB, SUBS and CMP an extended register. Without a destination (CMP, CMN, TST) it writes
        /// XZR; from zero (MVN, NEG, NEGS) its Rn is XZR.
        /// </summary>
        Decoded DataOp(AluOp op, bool setsFlags, bool destination = true, bool fromZero = false)
        {
            int second = (destination ? 1 : 0) + (fromZero ? 0 : 1);
            if (_ops.Count != second + 1 && _ops.Count != second + 2)
                throw Unsupported($"{_mnemonic} takes {second + 1} operands and an optional shift, found {_ops.Count}");
            var regs = Enumerable.Range(0, second).Select(Reg).ToArray();
            bool wide = SameWidth(regs);
            var d = destination ? regs[0].Index : Zero;
            var n = fromZero ? Zero : regs[^1].Index;
            // herd's grammar has the extended forms for these only (tok_add_sub_ext, and CMP's add_sub_ext).
            bool extendable = _mnemonic is "ADD" or "ADDS" or "SUB" or "SUBS" or "CMP";
            var op2 = extendable && _ops.Count == second + 2 && ExtendKind(_ops[second + 1]) is { } extend
                ? ExtendedRegister(second, wide, extend)
                : SecondOperand(second, wide, op is AluOp.Add or AluOp.Sub);
            return Plain(new Instr(InstrKind.Alu, line, text, Rd: d, Rn: n, Op2: op2, Wide: wide, Alu: op, SetsFlags: setsFlags));
        }

        /// <summary>The extension an extend operand (<c>SXTW</c>, <c>UXTB #2</c>) names, and whether it is UXTX or SXTX; null when it names none.</summary>
        static (Extension Extend, bool Whole)? ExtendKind(string text) => text.Split((char[])[' ', '\t'], 2)[0].ToUpperInvariant() switch
        {
            "UXTB" => (Extension.Uxtb, false), "UXTH" => (Extension.Uxth, false), "UXTW" => (Extension.Uxtw, false), "UXTX" => (Extension.None, true),
            "SXTB" => (Extension.Sxtb, false), "SXTH" => (Extension.Sxth, false), "SXTW" => (Extension.Sxtw, false), "SXTX" => (Extension.None, true),
            _ => null,
        };

        /// <summary>
        /// An extended register, <c>Rm, extend {#amount}</c> (the Arm ARM's ADD (extended register)): Rm's low 8, 16 or 32
        /// bits zero- or sign-extended (UXTX and SXTX: all of it), then shifted left by 0 to 4. As herd's grammar, an X
        /// operation takes a W or an X Rm (the extension reads the same low bits of either), a W operation a W Rm; a W Rm
        /// for UXTX or SXTX, whose 64 bits the Arm ARM reads from an X register, is refused.
        /// </summary>
        Operand ExtendedRegister(int i, bool wide, (Extension Extend, bool Whole) kind)
        {
            var m = Reg(i);
            if (!wide && m.Wide) throw Unsupported("a W operation extends a W register");
            if (wide && kind.Whole && !m.Wide) throw Unsupported("UXTX and SXTX extend an X register");
            string ext = _ops[i + 1];
            var parts = ext.Split((char[])[' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            string amount = parts.Length == 2 ? parts[1].Trim().TrimStart('#') : "0";
            if (!TryInteger(amount, out long shift) || shift is < 0 or > 4) throw Unsupported($"'{ext}': an extended register's shift is #0 to #4");
            return Operand.Reg(m.Index) with { Extend = kind.Extend, Shift = AluOp.Lsl, Amount = (int)shift };
        }

        /// <summary>
        /// A register shifted by LSL, LSR, ASR or, for the logical operations, ROR #n; an immediate only by ADD's and SUB's
        /// LSL #0 or #12.
        /// </summary>
        Operand SecondOperand(int i, bool wide, bool arithmetic)
        {
            var o = RegOrImm(i, wide);
            if (_ops.Count == i + 1) return o;
            var (shift, amount) = Shift(_ops[i + 1], wide);
            if (!o.IsRegister)
                return arithmetic && shift == AluOp.Lsl && amount is 0 or 12 ? Operand.Imm(o.Immediate << amount)
                    : throw Unsupported("only ADD and SUB shift an immediate, by LSL #0 or #12");
            if (arithmetic && shift == AluOp.Ror) throw Unsupported("ADD and SUB shift a register by LSL, LSR or ASR");
            return amount == 0 ? o : o with { Shift = shift, Amount = amount };
        }

        (AluOp Shift, int Amount) Shift(string text, bool wide)
        {
            var parts = text.Split((char[])[' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries);
            AluOp? shift = parts.Length == 0 ? null : parts[0].ToUpperInvariant() switch
            {
                "LSL" => AluOp.Lsl, "LSR" => AluOp.Lsr, "ASR" => AluOp.Asr, "ROR" => AluOp.Ror, _ => null,
            };
            if (shift is null) throw Unsupported($"'{text}' is not a shift LSL, LSR, ASR or ROR #n (an extended register is ADD's, ADDS's, SUB's, SUBS's or CMP's)");
            // herd also reads the amount without its '#' (LSL 0).
            string amount = parts.Length == 2 ? parts[1].Trim() : "";
            if (amount.StartsWith('#')) amount = amount[1..];
            if (!TryInteger(amount, out long n) || n < 0 || n >= (wide ? 64 : 32)) throw Unsupported($"'{text}': a shift amount is #0 to #{(wide ? 63 : 31)}");
            return (shift.Value, (int)n);
        }

        /// <summary>
        /// UBFM and SBFM <c>Rd,Rn,#immr,#imms</c>, and their aliases (Arm ARM C6.2): LSL, LSR and ASR by an immediate, UBFX and
        /// SBFX <c>#lsb,#width</c> (imms = lsb + width - 1), UBFIZ and SBFIZ <c>#lsb,#width</c> (the field moved up to lsb).
        /// </summary>
        Decoded Bitfield()
        {
            bool shift = _mnemonic is "LSL" or "LSR" or "ASR";
            Arity(shift ? 3 : 4);
            var (d, n) = (Reg(0), Reg(1));
            bool wide = SameWidth(d, n);
            int size = wide ? 64 : 32;
            int Imm(int i, int max, int min = 0) => _ops[i].StartsWith('#') && TryInteger(_ops[i][1..], out long v) && v >= min && v <= max ? (int)v
                : throw Unsupported($"'{_ops[i]}' is not an immediate #{min} to #{max}{(shift ? " (the register forms, LSLV..., are not read)" : "")}");
            int a = Imm(2, size - 1);
            var (immr, imms) = _mnemonic switch
            {
                "LSL" => ((size - a) % size, size - 1 - a),
                "LSR" or "ASR" => (a, size - 1),
                "UBFX" or "SBFX" => (a, a + Imm(3, size - a, 1) - 1),
                "UBFIZ" or "SBFIZ" => ((size - a) % size, Imm(3, size - a, 1) - 1),
                _ => (a, Imm(3, size - 1)),
            };
            return BitfieldMove(_mnemonic[0] == 'S' || _mnemonic == "ASR", d.Index, n.Index, immr, imms, wide);
        }

        /// <summary>UXTB and UXTH <c>Wd,Wn</c>, SXTB and SXTH <c>Wd|Xd,Wn</c>, SXTW <c>Xd,Wn</c>: UBFM or SBFM of bits 7, 15 or 31 down to 0.</summary>
        Decoded Extend()
        {
            Arity(2);
            var (d, n) = (Reg(0), Reg(1));
            bool signed = _mnemonic[0] == 'S';
            if (n.Wide || (d.Wide ? !signed : _mnemonic == "SXTW"))
                throw Unsupported("UXTB and UXTH take Wd,Wn, SXTB and SXTH Wd,Wn or Xd,Wn, SXTW Xd,Wn");
            return BitfieldMove(signed, d.Index, n.Index, 0, _mnemonic[^1] switch { 'B' => 7, 'H' => 15, _ => 31 }, d.Wide);
        }

        Decoded BitfieldMove(bool signed, int d, int n, int immr, int imms, bool wide) =>
            Plain(new Instr(InstrKind.Alu, line, text, Rd: d, Rn: n, Op2: Operand.Imm(DataProcessing.Bitfield(immr, imms)), Wide: wide,
                Alu: signed ? AluOp.Sbfm : AluOp.Ubfm));

        Cond Condition(string name) => Nzcv.Parse(name) ?? throw Unsupported($"'{name}' is not a condition (EQ, NE, CS/HS, CC/LO, MI, PL, VS, VC, HI, LS, GE, LT, GT, LE, AL, NV)");

        /// <summary>An alias's condition operand, inverted as its encoding holds it; the aliases take no AL or NV.</summary>
        Cond Opposite(int i)
        {
            var c = Condition(_ops[i]);
            return c == Cond.Al ? throw Unsupported($"{_mnemonic} takes no AL or NV condition") : c.Invert();
        }

        static InstrKind SelectKind(string mnemonic) => mnemonic switch
        {
            "CSINC" => InstrKind.Csinc, "CSINV" => InstrKind.Csinv, "CSNEG" => InstrKind.Csneg, _ => InstrKind.Csel,
        };

        string Label(int i)
        {
            string l = _ops[i];
            if (!IsLabel(l)) throw Unsupported($"'{l}' is not a label");
            return l;
        }

        static BarrierKind Barrier(string option) => option.ToUpperInvariant() switch
        {
            "SY" or "ISH" or "OSH" or "NSH" => BarrierKind.Full,
            "LD" or "ISHLD" or "OSHLD" or "NSHLD" => BarrierKind.Ld,
            "ST" or "ISHST" or "OSHST" or "NSHST" => BarrierKind.St,
            _ => BarrierKind.None,
        };

        Decoded Access()
        {
            bool plain = _mnemonic is "LDR" or "STR";
            // LDUR and STUR are LDR and STR whose offset is a signed 9-bit immediate that is not scaled.
            bool unscaled = _mnemonic is "LDUR" or "STUR";
            // LDR and STR also take a post-index, [Xn],#imm: the access is at Xn, then Xn += imm.
            if (_ops.Count != 3 || !plain) Arity(2);
            var t = Reg(0);
            var (rn, offset) = Address(1);
            long post = 0;
            if (_ops.Count == 3)
            {
                if (!_ops[2].StartsWith('#') || !TryInteger(_ops[2][1..], out post) || offset is not { IsRegister: false, Immediate: 0 })
                    throw Unsupported("a post-index is [Xn],#imm");
                if (_mnemonic == "LDR" && t.Index == rn) throw Unsupported("a post-indexed load into its own base register is unpredictable");
            }
            if (unscaled && offset is not { IsRegister: false, Immediate: >= -256 and <= 255 }) throw Unsupported($"{_mnemonic} takes [Xn] or [Xn,#-256..255]");
            // LDAR/LDAPR/STLR take no offset: the architecture has only [Xn] (or [Xn,#0]).
            if (!plain && !unscaled && offset is not { IsRegister: false, Immediate: 0 }) throw Unsupported($"{_mnemonic} takes only [Xn]");
            var kind = _mnemonic switch
            {
                "LDR" or "LDUR" => InstrKind.Ldr, "LDAR" => InstrKind.Ldar, "LDAPR" => InstrKind.Ldapr, "STR" or "STUR" => InstrKind.Str, _ => InstrKind.Stlr,
            };
            return Plain(new Instr(kind, line, text, Rn: rn, Rt: t.Index, Op2: offset,
                Acquire: kind is InstrKind.Ldar or InstrKind.Ldapr, Release: kind == InstrKind.Stlr, Wide: t.Wide, PostIndex: post));
        }

        /// <summary>
        /// LDP and STP <c>Rt1,Rt2,[Xn]</c>, <c>[Xn,#imm]</c> or <c>[Xn],#imm</c>, imm a multiple of the register's size in
        /// -64..63 of them (the scaled imm7). The Arm ARM makes a pair two single-copy-atomic accesses, Rt1's at the address
        /// and Rt2's one register size on, and they are one instruction, so aarch64.cat's po does not order them: they are
        /// decoded as two LDRs or STRs, which the explorer leaves unordered as they are to different locations, the
        /// post-index on the second so the base is written back after both. As the Arm ARM's LDP and STP decode, a load into
        /// one register twice, or a written-back pair with its base also a data register, is CONSTRAINED UNPREDICTABLE.
        /// </summary>
        Decoded Pair()
        {
            if (_ops.Count != 4) Arity(3);
            var (t1, t2) = (Reg(0), Reg(1));
            bool wide = SameWidth(t1, t2);
            int size = wide ? 8 : 4;
            bool Scaled(long v) => v % size == 0 && v >= -64 * size && v <= 63 * size;
            string offsets = $"imm a multiple of {size} from {-64 * size} to {63 * size}";
            var (rn, offset) = Address(2);
            if (offset.IsRegister || !Scaled(offset.Immediate)) throw Unsupported($"{_mnemonic} takes [Xn], [Xn,#imm] or [Xn],#imm, {offsets}");
            long post = 0;
            bool writeBack = _ops.Count == 4;
            if (writeBack && (offset.Immediate != 0 || !_ops[3].StartsWith('#') || !TryInteger(_ops[3][1..], out post) || !Scaled(post)))
                throw Unsupported($"a post-index is [Xn],#imm, {offsets}");
            bool load = _mnemonic == "LDP";
            if (load && t1.Index == t2.Index) throw Unsupported("an LDP into one register twice is CONSTRAINED UNPREDICTABLE");
            if (writeBack && (t1.Index == rn || t2.Index == rn)) throw Unsupported($"a post-indexed {_mnemonic} with its base also a data register is CONSTRAINED UNPREDICTABLE");
            Instr Half(int t, long at, long back) => new(load ? InstrKind.Ldr : InstrKind.Str, line, text, Rn: rn, Rt: t, Op2: Operand.Imm(at), Wide: wide, PostIndex: back);
            var first = Half(t1.Index, offset.Immediate, 0);
            var second = Half(t2.Index, offset.Immediate + size, post);
            // LDP X0,X1,[X0] reads both at the old X0: the load into the base goes last, as nothing orders the two.
            return load && t1.Index == rn ? new(second, null, first) : new(first, null, second);
        }

        /// <summary>
        /// LDXR and LDAXR <c>Rt,[Xn]</c>; STXR and STLXR <c>Ws,Rt,[Xn]</c>, whose status register is a W register. The Arm ARM
        /// makes a store-exclusive whose status register is also its data or base register CONSTRAINED UNPREDICTABLE
        /// (STXR's decode: <c>s == t || (s == n &amp;&amp; n != 31)</c>), so that is refused.
        /// </summary>
        Decoded Exclusive()
        {
            bool load = _mnemonic.StartsWith("LD", StringComparison.Ordinal);
            Arity(load ? 2 : 3);
            var s = load ? default : Reg(0);
            var t = Reg(load ? 0 : 1);
            var (rn, offset) = Address(load ? 1 : 2);
            if (!IsPlain(offset)) throw Unsupported($"{_mnemonic} takes only [Xn]");
            if (load) return Plain(new Instr(InstrKind.Ldxr, line, text, Rn: rn, Rt: t.Index, Acquire: _mnemonic == "LDAXR", Wide: t.Wide));
            if (s.Wide) throw Unsupported($"the status register of {_mnemonic} is a W register");
            if (s.Index == t.Index || s.Index == rn) throw Unsupported($"{_mnemonic} with its status register also its data or base register is CONSTRAINED UNPREDICTABLE");
            return Plain(new Instr(InstrKind.Stxr, line, text, Rn: rn, Rs: s.Index, Rt: t.Index, Release: _mnemonic == "STLXR", Wide: t.Wide));
        }

        /// <summary>
        /// The atomic operations of LDop and STop (the Arm ARM's LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX,
        /// LDUMIN; herd's <c>atomic_op</c>): what each writes of the old value and Rs.
        /// </summary>
        static readonly (string Name, AluOp Op)[] Operations =
        [
            ("ADD", AluOp.Add), ("EOR", AluOp.Eor), ("CLR", AluOp.Bic), ("SET", AluOp.Orr),
            ("SMAX", AluOp.SMax), ("SMIN", AluOp.SMin), ("UMAX", AluOp.UMax), ("UMIN", AluOp.UMin),
        ];

        static readonly (string Stem, InstrKind Kind, AluOp Op)[] Atomics =
        [
            ("CAS", InstrKind.Cas, default), ("SWP", InstrKind.Swp, default),
            .. Operations.Select(o => ("LD" + o.Name, InstrKind.LdOp, o.Op)), .. Operations.Select(o => ("ST" + o.Name, InstrKind.StOp, o.Op)),
        ];

        /// <summary>CAS, SWP and the LDop (LDADD, LDEOR, ...) with their A/L/AL suffixes, and the STop and STopL (LDop into XZR).</summary>
        Decoded? Atomic()
        {
            foreach (var (stem, kind, op) in Atomics)
            {
                if (!_mnemonic.StartsWith(stem, StringComparison.Ordinal)) continue;
                string suffix = _mnemonic[stem.Length..];
                bool valid = kind == InstrKind.StOp ? suffix is "" or "L" : suffix is "" or "A" or "L" or "AL";
                if (!valid) throw Unsupported($"{stem} has the forms {(kind == InstrKind.StOp ? $"{stem} and {stem}L" : $"{stem}, {stem}A, {stem}L and {stem}AL")} (no byte or half-word forms)");
                bool acquire = suffix.StartsWith('A'), release = suffix.EndsWith('L');
                if (kind == InstrKind.StOp)
                {
                    Arity(2);
                    var s = Reg(0);
                    var (b, o) = Address(1);
                    if (!IsPlain(o)) throw Unsupported($"{_mnemonic} takes only [Xn]");
                    return Plain(new Instr(kind, line, text, Rn: b, Rs: s.Index, Rt: Zero, Release: release, Wide: s.Wide, Alu: op));
                }
                Arity(3);
                var (rs, rt) = (Reg(0), Reg(1));
                bool wide = SameWidth(rs, rt);
                var (rn, off) = Address(2);
                if (!IsPlain(off)) throw Unsupported($"{_mnemonic} takes only [Xn]");
                return Plain(new Instr(kind, line, text, Rn: rn, Rs: rs.Index, Rt: rt.Index, Acquire: acquire, Release: release, Wide: wide, Alu: op));
            }
            return null;
        }

        static bool IsPlain(Operand o) => o is { IsRegister: false, Immediate: 0 };
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_.]*$")]
    private static partial Regex LabelName();

    public static bool IsLabel(string s) => LabelName().IsMatch(s);
}
