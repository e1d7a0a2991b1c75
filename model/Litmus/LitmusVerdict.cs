namespace SmmuActors.Model.Litmus;

/// <summary>
/// herd7's judgement of a test from the final states an exploration reached: the states shown (each
/// final projected on the observed registers and locations, distinct, sorted as herd sorts them), how
/// many satisfy the condition's proposition, and from that the validation (<c>Ok</c>/<c>No</c>) and
/// the observation (<c>Always</c>/<c>Sometimes</c>/<c>Never</c>). herd counts executions where this
/// counts distinct shown states (the explorer reports states, not executions), so the two numbers can
/// be smaller than herd's; every word of the verdict is the same.
/// </summary>
public sealed class LitmusVerdict
{
    public LitmusTest Test { get; }

    /// <summary>
    /// The shown states, each a value per <see cref="LitmusTest.Observed"/> (a whole array one per cell, in a row), in herd's
    /// order: value by value, as herd compares a vector cell by cell.
    /// </summary>
    public IReadOnlyList<long[]> States { get; }

    /// <summary>Shown states that satisfy the proposition (herd's <c>pos</c>) and that do not (<c>neg</c>).</summary>
    public int Positive { get; }
    public int Negative { get; }

    LitmusVerdict(LitmusTest test, IReadOnlyList<long[]> states)
    {
        Test = test;
        States = states;
        Positive = states.Count(s => Holds(test.Condition.Prop, s));
        Negative = states.Count - Positive;
    }

    public static LitmusVerdict Of(LitmusTest test, LitmusRun run)
    {
        if (run.IncompleteReason is not null) throw new InvalidOperationException($"{test.Name}: the exploration is incomplete ({run.IncompleteReason}); there is no verdict");
        var comparer = new ValuesComparer(test.Layout);
        var shown = run.Finals.Select(f => test.Observed.SelectMany(o => Values(f, o).Select(v => Typed(test, o, v))).ToArray())
            .Distinct(comparer).Order(comparer).ToList();
        return new LitmusVerdict(test, shown);
    }

    static IEnumerable<long> Values(LitmusFinal f, LitmusObserved o) =>
        o.Thread >= 0 ? [f.Registers[o.Thread][o.Register]] : f.Memory.Skip(o.Location).Take(o.Cells ?? 1);

    /// <summary>A value as herd shows and compares it: at the observed thing's C type, unless it is an address.</summary>
    static long Typed(LitmusTest test, LitmusObserved o, long v) => test.Layout.IsAddress(v) ? v : o.Type.Cast(v);

    bool Holds(Prop p, long[] state) => p switch
    {
        Prop.True => true,
        Prop.False => false,
        Prop.Atom a => state[IndexOf(a.What)] == Typed(Test, a.What, a.Value),
        Prop.ArrayAtom a => a.Values.Select((v, i) => state[IndexOf(a.What) + i] == Typed(Test, a.What, v)).All(x => x),
        Prop.Not n => !Holds(n.Inner, state),
        Prop.And a => Holds(a.Left, state) && Holds(a.Right, state),
        Prop.Or o => Holds(o.Left, state) || Holds(o.Right, state),
        _ => throw new InvalidOperationException($"unknown proposition {p}"),
    };

    /// <summary>Where <paramref name="o"/>'s first value is in a shown state.</summary>
    int IndexOf(LitmusObserved o)
    {
        int at = 0;
        foreach (var x in Test.Observed)
        {
            if (x == o) return at;
            at += x.Cells ?? 1;
        }
        throw new InvalidOperationException($"{Test.Name}: the condition names {o.Name}, which is not observed");
    }

    /// <summary>Some reachable state satisfies the proposition: what "Allowed" means in a kinds file.</summary>
    public bool Witnessed => Positive > 0;

    /// <summary>Every reachable state satisfies the proposition: what "Required" means.</summary>
    public bool AlwaysHolds => Negative == 0;

    /// <summary>herd's validation: exists is Ok when witnessed, ~exists when never, forall when always.</summary>
    public bool Ok => Test.Condition.Quantifier switch
    {
        Quantifier.Exists => Witnessed,
        Quantifier.NotExists => !Witnessed,
        _ => AlwaysHolds,
    };

    /// <summary>The test's kind as herd prints it after its name (ConstrGen.pp_kind).</summary>
    public string Kind => Test.Condition.Quantifier switch
    {
        Quantifier.Exists => "Allowed",
        Quantifier.NotExists => "Forbidden",
        _ => "Required",
    };

    public string Observation => Positive == 0 ? "Never" : Negative == 0 ? "Always" : "Sometimes";

    /// <summary>herd7's result block, line by line, ending with its blank line (herd's Time and Hash lines are not printed).</summary>
    public IEnumerable<string> Block()
    {
        yield return $"Test {Test.Name} {Kind}";
        yield return $"States {States.Count}";
        foreach (var s in States) yield return LitmusText.State(Test, s);
        yield return Ok ? "Ok" : "No";
        yield return "Witnesses";
        // For ~exists herd counts the states that satisfy the negated condition as positive.
        var (pos, neg) = Test.Condition.Quantifier == Quantifier.NotExists ? (Negative, Positive) : (Positive, Negative);
        yield return $"Positive: {pos} Negative: {neg}";
        yield return $"Condition {LitmusText.Condition(Test)}";
        yield return $"Observation {Test.Name} {Observation} {Positive} {Negative}";
        yield return "";
    }

    /// <summary>One shown state satisfying (or, with <paramref name="satisfying"/> false, failing) the proposition, for messages.</summary>
    public string? Example(bool satisfying) =>
        States.FirstOrDefault(s => Holds(Test.Condition.Prop, s) == satisfying) is { } s ? LitmusText.State(Test, s) : null;

    /// <summary>
    /// States compare value by value in the observed order, as herd's state sets do: integers numerically and before
    /// addresses, addresses by their symbol's name and then their offset (herd orders symbols by name, not by when the
    /// test first names them).
    /// </summary>
    sealed class ValuesComparer(LitmusLayout layout) : IComparer<long[]>, IEqualityComparer<long[]>
    {
        public int Compare(long[]? a, long[]? b)
        {
            for (int i = 0; i < a!.Length; i++)
            {
                int c = Compare(a[i], b![i]);
                if (c != 0) return c;
            }
            return 0;
        }

        int Compare(long x, long y)
        {
            bool ax = layout.IsAddress(x), ay = layout.IsAddress(y);
            if (ax != ay) return ax ? 1 : -1;
            if (!ax) return x.CompareTo(y);
            int c = string.CompareOrdinal(layout.SymbolAt(x).Name, layout.SymbolAt(y).Name);
            return c != 0 ? c : LitmusLayout.Offset(x).CompareTo(LitmusLayout.Offset(y));
        }

        public bool Equals(long[]? a, long[]? b) => a!.AsSpan().SequenceEqual(b);

        public int GetHashCode(long[] a)
        {
            var h = new HashCode();
            foreach (long v in a) h.Add(v);
            return h.ToHashCode();
        }
    }
}
