namespace SmmuActors.Model.Litmus;

/// <summary>herd7's notation for values, states and conditions, so what this tool prints reads (and diffs) like herd's output.</summary>
public static class LitmusText
{
    /// <summary>
    /// An integer of <paramref name="type"/>, the name of the location whose address it is, or that address plus bytes as
    /// herd writes it (<c>x[44]</c>).
    /// </summary>
    public static string Value(LitmusTest test, long v, ScalarType type = ScalarType.Int) =>
        test.Layout.IsAddress(v) ? test.Layout.Show(v) : type.Show(v);

    /// <summary>
    /// A shown state: <c>1:X0=0; 1:X2=1; x=2;</c> (values in <see cref="LitmusTest.Observed"/> order), a whole array as herd
    /// shows it, <c>x={1,2};</c>.
    /// </summary>
    public static string State(LitmusTest test, long[] values)
    {
        var parts = new List<string>();
        int at = 0;
        foreach (var o in test.Observed)
        {
            var cells = values.Skip(at).Take(o.Cells ?? 1).Select(v => Value(test, v, o.Type));
            parts.Add(o.Cells is null ? $"{o.Name}={cells.Single()};" : $"{o.Name}={Vector(cells)};");
            at += o.Cells ?? 1;
        }
        return string.Join(" ", parts);
    }

    static string Vector(IEnumerable<string> cells) => $"{{{string.Join(",", cells)}}}";

    /// <summary>The condition as herd prints it: <c>exists (1:X0=1 /\ 1:X2=0)</c>, conjunctions flattened, a disjunction under a conjunction in parentheses.</summary>
    public static string Condition(LitmusTest test)
    {
        string q = test.Condition.Quantifier switch { Quantifier.Exists => "exists", Quantifier.NotExists => "~exists", _ => "forall" };
        return $"{q} ({Show(test, test.Condition.Prop, Above.Top)})";
    }

    enum Above { Top, And, Or }

    static string Show(LitmusTest test, Prop p, Above above) => p switch
    {
        Prop.True => "true",
        Prop.False => "false",
        Prop.Atom a => $"{a.What.Name}={Value(test, a.Value)}",
        Prop.ArrayAtom a => $"{a.What.Name}={Vector(a.Values.Select(v => Value(test, v)))}",
        Prop.Not n => $"not ({Show(test, n.Inner, Above.Top)})",
        Prop.And => Join(test, Flatten<Prop.And>(p), " /\\ ", Above.And, parenthesize: false),
        Prop.Or => Join(test, Flatten<Prop.Or>(p), " \\/ ", Above.Or, parenthesize: above == Above.And),
        _ => throw new InvalidOperationException($"unknown proposition {p}"),
    };

    static string Join(LitmusTest test, IEnumerable<Prop> parts, string op, Above here, bool parenthesize)
    {
        string s = string.Join(op, parts.Select(x => Show(test, x, here)));
        return parenthesize ? $"({s})" : s;
    }

    /// <summary>herd's parser reads <c>a /\ b /\ c</c> as one n-ary conjunction; the binary tree is flattened to print the same.</summary>
    static IEnumerable<Prop> Flatten<T>(Prop p) where T : Prop => p switch
    {
        Prop.And a when typeof(T) == typeof(Prop.And) => Flatten<T>(a.Left).Concat(Flatten<T>(a.Right)),
        Prop.Or o when typeof(T) == typeof(Prop.Or) => Flatten<T>(o.Left).Concat(Flatten<T>(o.Right)),
        _ => [p],
    };
}
